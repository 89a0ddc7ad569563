// QuantumApproximationLayer sampling: seeded and reproducible across runs and
// thread counts, statistically sound, and mid-circuit measurement that
// really collapses the state.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstring>
#include <string>

#include "tests/vgpu/circuit_builders.h"
#include "vgpu/quantum/kernels/quantum_kernels.h"
#include "vgpu/quantum/kernels/quantum_rng.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace {

using jarvis::QuantumApproximationLayer;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace q = jarvis::quantum;

using jarvis::test::cx;
using jarvis::test::g1;
using jarvis::test::rot;
using jarvis::test::run_ok;

// A circuit over every gate kind, with rotations so that every outcome has
// its own probability. Uses our own PRNG so the circuit is the same everywhere.
json mixed_circuit(unsigned n, unsigned gates, uint64_t seed) {
  static const char* const kOne[] = {"h", "x", "y", "z", "s", "sdg", "t", "tdg"};
  static const char* const kRot[] = {"rx", "ry", "rz", "p"};
  q::Xoshiro256 rng(seed);
  json out = json::array();
  for (unsigned b = 0; b < n; ++b) out.push_back(rot("ry", b, 0.2 + 0.1 * b));
  for (unsigned k = 0; k < gates; ++k) {
    const unsigned a = static_cast<unsigned>(rng.next() % n);
    const unsigned b = (a + 1 + static_cast<unsigned>(rng.next() % (n - 1))) % n;
    unsigned c = b;
    while (c == a || c == b) c = static_cast<unsigned>(rng.next() % n);
    switch (rng.next() % 6) {
      case 0:
        out.push_back(g1(kOne[rng.next() % 8], a));
        break;
      case 1:
        out.push_back(rot(kRot[rng.next() % 4], a, 6 * rng.uniform() - 3));
        break;
      case 2:
        out.push_back(cx(a, b));
        break;
      case 3:
        if (rng.next() % 2) {
          out.push_back({{"op", "cz"}, {"c", a}, {"t", b}});
        } else {
          out.push_back({{"op", "swap"}, {"a", a}, {"b", b}});
        }
        break;
      case 4:
        out.push_back({{"op", "cp"}, {"c", a}, {"t", b}, {"theta", 6 * rng.uniform() - 3}});
        break;
      default:
        out.push_back({{"op", "ccx"}, {"c", {a, b}}, {"t", c}});
        break;
    }
  }
  return out;
}

TEST(QuantumSampling, SameRequestSameAnswer) {
  const json payload = {{"qubits", 6}, {"gates", mixed_circuit(6, 80, 1)}, {"shots", 500}};
  const json first = run_ok(payload);
  EXPECT_EQ(run_ok(payload), first);
  // No seed given: it is derived from the payload, and reported.
  EXPECT_EQ(first["seed"].get<uint64_t>(), q::payload_seed(payload));
  json seeded = payload;
  seeded["seed"] = 99;
  const json a = run_ok(seeded);
  EXPECT_EQ(a["seed"].get<uint64_t>(), 99u);
  EXPECT_EQ(run_ok(seeded), a);
  seeded["seed"] = 100;
  EXPECT_NE(run_ok(seeded)["counts"], a["counts"]);  // another seed, other draws
  EXPECT_EQ(run_ok(seeded)["probabilities"], a["probabilities"]);
}

TEST(QuantumSampling, IdenticalForEveryThreadCountAndBlockSize) {
  // 14 qubits in chunks of 2^6: 256 chunks spread over the threads.
  const json payload = {
      {"qubits", 14}, {"gates", mixed_circuit(14, 400, 2)}, {"shots", 3000}, {"seed", 5}};
  QuantumOptions options;
  options.block_qubits = 6;
  options.threads = 1;
  const json one = run_ok(payload, options);
  for (unsigned threads : {2u, 3u, 8u}) {
    options.threads = threads;
    EXPECT_EQ(run_ok(payload, options), one) << threads << " threads";
  }
  // The state itself is bit-identical across thread counts.
  const q::ParsedCircuit parsed = q::parse_circuit(payload, QuantumOptions{});
  ASSERT_TRUE(parsed.ok());
  q::ExecOptions exec;
  exec.block_qubits = 6;
  exec.threads = 1;
  const q::StateVector s1 = q::final_state(parsed.circuit, exec);
  exec.threads = 4;
  const q::StateVector s4 = q::final_state(parsed.circuit, exec);
  EXPECT_EQ(std::memcmp(s1.data(), s4.data(), s1.size() * 16), 0);
  // Other chunk sizes regroup commuting gates: equal to rounding.
  exec.block_qubits = 14;
  const q::StateVector whole = q::final_state(parsed.circuit, exec);
  for (uint64_t i = 0; i < whole.size(); ++i) {
    ASSERT_NEAR(std::abs(whole.amplitude(i) - s1.amplitude(i)), 0.0, 1e-12) << i;
  }
}

TEST(QuantumSampling, PortableAndAvx2KernelsAgreeBitForBit) {
  const q::KernelTable* avx2 = q::avx2_kernels();
  if (avx2 == nullptr) GTEST_SKIP() << "no AVX2 on this CPU";
  const q::ParsedCircuit parsed =
      q::parse_circuit({{"qubits", 12}, {"gates", mixed_circuit(12, 500, 3)}}, QuantumOptions{});
  ASSERT_TRUE(parsed.ok());
  for (unsigned block : {5u, 12u}) {
    q::ExecOptions exec;
    exec.block_qubits = block;
    exec.kernels = &q::generic_kernels();
    const q::StateVector a = q::final_state(parsed.circuit, exec);
    exec.kernels = avx2;
    const q::StateVector b = q::final_state(parsed.circuit, exec);
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * 16), 0) << "block " << block;
  }
}

TEST(QuantumSampling, CountsPassAChiSquareTestAgainstTheExactProbabilities) {
  constexpr unsigned kN = 4;
  constexpr unsigned kShots = 200'000;
  const json r = run_ok(
      {{"qubits", kN}, {"gates", mixed_circuit(kN, 30, 4)}, {"shots", kShots}, {"seed", 2026}});
  const json& probs = r["probabilities"];
  ASSERT_GE(probs.size(), 8u);
  double chi2 = 0;
  uint64_t total = 0;
  for (const auto& [bits, count] : r["counts"].items()) {
    ASSERT_TRUE(probs.contains(bits)) << "sampled an impossible outcome " << bits;
    total += count.get<uint64_t>();
  }
  for (const auto& [bits, p] : probs.items()) {
    const double expected = p.get<double>() * kShots;
    const double observed = r["counts"].contains(bits) ? r["counts"][bits].get<double>() : 0.0;
    chi2 += (observed - expected) * (observed - expected) / expected;
  }
  EXPECT_EQ(total, kShots);
  // Degrees of freedom = outcomes - 1 <= 15; P(chi2 > 60) < 1e-6 at 15.
  EXPECT_LT(chi2, 60.0) << "over " << probs.size() << " outcomes";
}

TEST(QuantumSampling, MidCircuitMeasurementCollapses) {
  // Without the measurement H H is the identity; with it, the second H sees
  // |0> or |1> and gives 0 or 1 with probability 1/2 each.
  const json plain = run_ok({{"qubits", 1}, {"gates", {g1("h", 0), g1("h", 0)}}, {"shots", 100}});
  EXPECT_EQ(plain["counts"], json({{"0", 100}}));
  const json measured = run_ok({{"qubits", 1},
                                {"gates", {g1("h", 0), g1("measure", 0), g1("h", 0)}},
                                {"shots", 10'000},
                                {"seed", 8}});
  EXPECT_EQ(measured["mid_circuit_measurements"], 1);
  EXPECT_EQ(measured["trajectories"], 2);
  EXPECT_NEAR(measured["probabilities"]["0"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(measured["probabilities"]["1"].get<double>(), 0.5, 1e-12);
  // 10,000 fair draws: 5,000 +- 5 sigma (sigma = 50).
  EXPECT_NEAR(measured["counts"]["0"].get<double>(), 5000, 250);
}

TEST(QuantumSampling, MeasurementOutcomesAreCorrelatedWithLaterGates) {
  // Measure qubit 0 of |+>, then copy it to qubit 1: only 00 and 11 occur.
  const json r = run_ok({{"qubits", 2},
                         {"gates", {g1("h", 0), g1("measure", 0), cx(0, 1), g1("measure", 1)}},
                         {"shots", 4000},
                         {"seed", 9}});
  EXPECT_EQ(r["mid_circuit_measurements"], 1);  // the last one is terminal
  for (const auto& [bits, count] : r["counts"].items()) {
    EXPECT_TRUE(bits == "00" || bits == "11") << bits;
  }
  EXPECT_NEAR(r["counts"]["00"].get<double>(), 2000, 5 * std::sqrt(1000.0));
}

TEST(QuantumSampling, MixedStateProbabilitiesAreTheExactMixture) {
  // RY(t) then measure, then RY(u): P(1) = cos^2(t/2) sin^2(u/2) + sin^2(t/2) cos^2(u/2).
  const double t = 1.1, u = 0.4;
  const json r = run_ok({{"qubits", 1},
                         {"gates", {rot("ry", 0, t), g1("measure", 0), rot("ry", 0, u)}},
                         {"shots", 3},
                         {"seed", 1}});
  const double want = std::pow(std::cos(t / 2) * std::sin(u / 2), 2) +
                      std::pow(std::sin(t / 2) * std::cos(u / 2), 2);
  EXPECT_NEAR(r["probabilities"]["1"].get<double>(), want, 1e-12);
}

TEST(QuantumSampling, ZeroShotsGiveProbabilitiesOnly) {
  const json r = run_ok({{"qubits", 2}, {"gates", {g1("h", 1)}}, {"shots", 0}});
  EXPECT_TRUE(r["counts"].empty());
  EXPECT_NEAR(r["probabilities"]["10"].get<double>(), 0.5, 1e-12);
}

TEST(QuantumSampling, LargeRegistersReportCountsWithoutProbabilities) {
  json gates = json::array();
  for (unsigned b = 0; b < 17; ++b) gates.push_back(g1("x", b));
  const json r = run_ok({{"qubits", 17}, {"gates", gates}, {"shots", 4}});
  EXPECT_FALSE(r.contains("probabilities"));
  EXPECT_FALSE(r["probabilities_note"].get<std::string>().empty());
  EXPECT_EQ(r["counts"], json({{std::string(17, '1'), 4}}));
}

}  // namespace
