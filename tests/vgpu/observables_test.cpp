// expectation() (pairs of amplitudes, signs from tables) against the plain
// one-term-per-amplitude loop, expectation_reference(), on random states of
// 1 to 12 qubits in both precisions and random Pauli strings, with the edge
// strings (identity, Z only, X or Y on the lowest or the highest qubit).
#include "vgpu/quantum/quantum_observables.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace q = jarvis::quantum;

q::StateVector random_state(unsigned qubits, q::Precision precision, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  q::StateVector state(qubits, precision);
  for (uint64_t i = 0; i < 2 * state.size(); ++i) {
    if (precision == q::Precision::kFloat32)
      state.data32()[i] = static_cast<float>(normal(rng));
    else
      state.data()[i] = normal(rng);
  }
  return state;
}

std::vector<std::string> pauli_strings(unsigned qubits, std::mt19937_64& rng) {
  std::vector<std::string> out = {std::string(qubits, 'I'), std::string(qubits, 'Z'),
                                  std::string(qubits, 'X'), std::string(qubits, 'Y')};
  for (const char letter : {'X', 'Y'}) {
    std::string top(qubits, 'I'), bottom(qubits, 'I');
    top.front() = letter;  // the highest qubit
    bottom.back() = letter;
    out.push_back(top);
    out.push_back(bottom);
  }
  std::uniform_int_distribution<int> pick(0, 3);
  for (int k = 0; k < 24; ++k) {
    std::string text;
    for (unsigned i = 0; i < qubits; ++i) text += "IXYZ"[pick(rng)];
    out.push_back(text);
  }
  return out;
}

TEST(Observables, ExpectationMatchesThePlainLoopOnRandomStatesAndStrings) {
  std::mt19937_64 rng(18);
  int compared = 0;
  for (unsigned qubits = 1; qubits <= 12; ++qubits) {
    for (const auto precision : {q::Precision::kFloat64, q::Precision::kFloat32}) {
      const q::StateVector state = random_state(qubits, precision, rng);
      for (const std::string& text : pauli_strings(qubits, rng)) {
        q::PauliString pauli;
        ASSERT_EQ(q::parse_pauli(text, qubits, pauli), "");
        const double want = q::expectation_reference(state, pauli);
        const double got = q::expectation(state, pauli);
        EXPECT_NEAR(got, want, 1e-12)
            << text << (precision == q::Precision::kFloat32 ? " f32" : "");
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 12 * 2 * 32);
}

// <Z> of |1>, <X> of |+>, <Y> of |+i>: +-1 exactly, through both paths.
TEST(Observables, KnownSingleQubitValues) {
  q::StateVector one(1), plus(1), plus_i(1);
  one.data()[0] = 0.0;
  one.data()[2] = 1.0;
  plus.data()[0] = plus.data()[2] = 1.0;  // unnormalised on purpose
  plus_i.data()[0] = 1.0;
  plus_i.data()[3] = 1.0;  // |0> + i|1>
  for (const auto& [state, text, value] :
       std::vector<std::tuple<const q::StateVector*, std::string, double>>{
           {&one, "Z", -1.0}, {&plus, "X", 1.0}, {&plus_i, "Y", 1.0}, {&plus, "Z", 0.0}}) {
    q::PauliString pauli;
    ASSERT_EQ(q::parse_pauli(text, 1, pauli), "");
    EXPECT_NEAR(q::expectation(*state, pauli), value, 1e-15) << text;
    EXPECT_NEAR(q::expectation_reference(*state, pauli), value, 1e-15) << text;
  }
}

}  // namespace
