// QuantumApproximationLayer against closed forms: Bell, GHZ, QFT, Grover,
// U then U-dagger, norm over many gates, exact FLOP counts.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <complex>
#include <numbers>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "tests/vgpu/circuit_builders.h"
#include "vgpu/quantum/quantum_blocking.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_fusion.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace {

using jarvis::QuantumApproximationLayer;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace q = jarvis::quantum;

using jarvis::test::ccx;
using jarvis::test::cp;
using jarvis::test::cx;
using jarvis::test::g1;
using jarvis::test::rot;
using jarvis::test::run_ok;

double prob(const json& result, const std::string& bits) {
  const json& p = result.at("probabilities");
  return p.contains(bits) ? p.at(bits).get<double>() : 0.0;
}

q::StateVector state_of(const json& payload, q::ExecOptions exec = {}) {
  const q::ParsedCircuit parsed = q::parse_circuit(payload, QuantumOptions{});
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  return q::final_state(parsed.circuit, exec);
}

TEST(Quantum, BellStateIsHalfZeroZeroHalfOneOne) {
  const json r = run_ok({{"qubits", 2}, {"gates", {g1("h", 0), cx(0, 1)}}, {"shots", 1000}});
  EXPECT_NEAR(prob(r, "00"), 0.5, 1e-12);
  EXPECT_NEAR(prob(r, "11"), 0.5, 1e-12);
  EXPECT_EQ(r["probabilities"].size(), 2u);
  uint64_t total = 0;
  for (const auto& [bits, count] : r["counts"].items()) {
    EXPECT_TRUE(bits == "00" || bits == "11") << bits;
    total += count.get<uint64_t>();
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_GT(r["counts"]["00"].get<int>(), 400);
  EXPECT_GT(r["counts"]["11"].get<int>(), 400);
}

TEST(Quantum, GhzStateOnSevenQubits) {
  json gates = {g1("h", 0)};
  for (unsigned k = 1; k < 7; ++k) gates.push_back(cx(k - 1, k));
  const json r = run_ok({{"qubits", 7}, {"gates", gates}, {"shots", 64}, {"seed", 3}});
  EXPECT_NEAR(prob(r, "0000000"), 0.5, 1e-12);
  EXPECT_NEAR(prob(r, "1111111"), 0.5, 1e-12);
  EXPECT_EQ(r["probabilities"].size(), 2u);
  EXPECT_EQ(r["counts"].size(), 2u);
}

TEST(Quantum, BitstringsPutTheHighestQubitFirst) {
  const json r = run_ok({{"qubits", 3}, {"gates", {g1("x", 0)}}, {"shots", 5}});
  EXPECT_EQ(r["counts"], json({{"001", 5}}));
  EXPECT_NEAR(prob(r, "001"), 1.0, 1e-15);
}

// The QFT with qubit n-1 the most significant: H and controlled phases from
// the top down, then the bit-reversing swaps.
json qft_gates(unsigned n) {
  json gates = json::array();
  for (unsigned j = n; j-- > 0;) {
    gates.push_back(g1("h", j));
    for (unsigned k = j; k-- > 0;) gates.push_back(cp(k, j, std::numbers::pi / (1u << (j - k))));
  }
  for (unsigned i = 0; i < n / 2; ++i) {
    gates.push_back({{"op", "swap"}, {"a", i}, {"b", n - 1 - i}});
  }
  return gates;
}

TEST(Quantum, QftOfABasisStateMatchesTheClosedForm) {
  constexpr unsigned kN = 6;
  constexpr uint64_t kDim = 1u << kN;
  for (uint64_t x : {0u, 1u, 13u, 42u, 63u}) {
    json gates = json::array();
    for (unsigned b = 0; b < kN; ++b) {
      if ((x >> b) & 1) gates.push_back(g1("x", b));
    }
    for (const json& g : qft_gates(kN)) gates.push_back(g);
    const q::StateVector s = state_of({{"qubits", kN}, {"gates", gates}});
    for (uint64_t k = 0; k < kDim; ++k) {
      // QFT|x> = 2^(-n/2) sum_k exp(2 pi i x k / 2^n) |k>
      const double angle = 2 * std::numbers::pi * static_cast<double>(x * k % kDim) / kDim;
      const std::complex<double> want = std::polar(1.0 / std::sqrt(double{kDim}), angle);
      EXPECT_NEAR(std::abs(s.amplitude(k) - want), 0.0, 1e-12) << "x=" << x << " k=" << k;
    }
  }
}

// Grover search over 4 data qubits (ancilla qubit 4 for the 4-controlled Z)
// for the marked item 1011: success probability sin^2((2k+1) theta),
// sin theta = 1/4.
json grover_payload(unsigned iterations) {
  constexpr unsigned kMarked = 0b1011;
  json gates = json::array();
  auto ccccz = [&gates] {  // Z on qubit 3 when qubits 0, 1, 2 are 1 (ancilla 4 holds 0 AND 1)
    gates.push_back(ccx(0, 1, 4));
    gates.push_back(g1("h", 3));
    gates.push_back(ccx(4, 2, 3));
    gates.push_back(g1("h", 3));
    gates.push_back(ccx(0, 1, 4));
  };
  for (unsigned b = 0; b < 4; ++b) gates.push_back(g1("h", b));
  for (unsigned it = 0; it < iterations; ++it) {
    for (unsigned b = 0; b < 4; ++b) {
      if (!((kMarked >> b) & 1)) gates.push_back(g1("x", b));
    }
    ccccz();
    for (unsigned b = 0; b < 4; ++b) {
      if (!((kMarked >> b) & 1)) gates.push_back(g1("x", b));
    }
    for (unsigned b = 0; b < 4; ++b) gates.push_back(g1("h", b));
    for (unsigned b = 0; b < 4; ++b) gates.push_back(g1("x", b));
    ccccz();
    for (unsigned b = 0; b < 4; ++b) gates.push_back(g1("x", b));
    for (unsigned b = 0; b < 4; ++b) gates.push_back(g1("h", b));
  }
  return {{"qubits", 5}, {"gates", gates}, {"shots", 100}, {"seed", 11}};
}

TEST(Quantum, GroverSuccessProbabilityFollowsTheFormula) {
  const double theta = std::asin(0.25);
  for (unsigned k = 0; k <= 4; ++k) {
    const json r = run_ok(grover_payload(k));
    const double want = std::pow(std::sin((2 * k + 1) * theta), 2);
    EXPECT_NEAR(prob(r, "01011"), want, 1e-12) << "k=" << k;
    // The ancilla is always returned to 0.
    double ancilla_one = 0;
    for (const auto& [bits, p] : r["probabilities"].items()) {
      if (bits[0] == '1') ancilla_one += p.get<double>();
    }
    EXPECT_NEAR(ancilla_one, 0.0, 1e-12);
  }
}

// A random gate from the whole set, and its inverse.
struct RandomGates {
  explicit RandomGates(unsigned n, uint64_t seed) : n_(n), rng_(seed) {}

  json next() {
    static const char* const kOps[] = {"h",  "x",  "y", "z",  "s",  "sdg", "t",    "tdg", "rx",
                                       "ry", "rz", "p", "cx", "cz", "cp",  "swap", "ccx"};
    const std::string op = kOps[rng_() % std::size(kOps)];
    const double theta = std::uniform_real_distribution<double>(-4, 4)(rng_);
    unsigned a = static_cast<unsigned>(rng_() % n_), b = a, c = a;
    while (b == a) b = static_cast<unsigned>(rng_() % n_);
    while (c == a || c == b) c = static_cast<unsigned>(rng_() % n_);
    if (op == "cx" || op == "cz") return {{"op", op}, {"c", a}, {"t", b}};
    if (op == "cp") return cp(a, b, theta);
    if (op == "swap") return {{"op", "swap"}, {"a", a}, {"b", b}};
    if (op == "ccx") return ccx(a, b, c);
    if (op == "rx" || op == "ry" || op == "rz" || op == "p") return rot(op.c_str(), a, theta);
    return g1(op.c_str(), a);
  }

  static json inverse(json g) {
    const std::string op = g["op"];
    if (op == "s") g["op"] = "sdg";
    if (op == "sdg") g["op"] = "s";
    if (op == "t") g["op"] = "tdg";
    if (op == "tdg") g["op"] = "t";
    if (g.contains("theta")) g["theta"] = -g["theta"].get<double>();
    return g;
  }

 private:
  unsigned n_;
  std::mt19937_64 rng_;
};

TEST(Quantum, UThenUDaggerReturnsTheStartState) {
  constexpr unsigned kN = 7;
  json prep = json::array();
  for (unsigned b = 0; b < kN; ++b) prep.push_back(rot("ry", b, 0.3 + 0.4 * b));
  for (unsigned b = 0; b + 1 < kN; ++b) prep.push_back(cx(b, b + 1));
  RandomGates random(kN, 7);
  json u = json::array();
  for (int k = 0; k < 300; ++k) u.push_back(random.next());
  json gates = prep;
  for (const json& g : u) gates.push_back(g);
  for (size_t k = u.size(); k-- > 0;) gates.push_back(RandomGates::inverse(u[k]));
  const q::StateVector start = state_of({{"qubits", kN}, {"gates", prep}});
  const q::StateVector back = state_of({{"qubits", kN}, {"gates", gates}});
  const q::StateVector middle = state_of({{"qubits", kN}, {"gates", [&] {
                                                             json pu = prep;
                                                             for (const json& g : u)
                                                               pu.push_back(g);
                                                             return pu;
                                                           }()}});
  double moved = 0;
  for (uint64_t i = 0; i < start.size(); ++i) {
    EXPECT_NEAR(std::abs(back.amplitude(i) - start.amplitude(i)), 0.0, 1e-12) << i;
    moved += std::abs(middle.amplitude(i) - start.amplitude(i));
  }
  EXPECT_GT(moved, 0.1);  // U itself did change the state
}

TEST(Quantum, NormIsPreservedOverTenThousandRandomGates) {
  constexpr unsigned kN = 10;
  RandomGates random(kN, 10'000);
  json gates = json::array();
  for (int k = 0; k < 10'000; ++k) gates.push_back(random.next());
  const q::StateVector s = state_of({{"qubits", kN}, {"gates", gates}});
  double norm = 0;
  for (uint64_t i = 0; i < s.size(); ++i) norm += std::norm(s.amplitude(i));
  EXPECT_NEAR(norm, 1.0, 1e-10);
}

TEST(Quantum, FlopsAreCountedPerGateType) {
  // n = 3: H on 2^2 pairs x 28; RZ 2^2 pairs x 12; S on 2^2 amplitudes x 6;
  // CZ on 2^1 amplitudes x 6; controlled H (none here); CX and SWAP are moves.
  const json payload = {{"qubits", 3},
                        {"gates",
                         {g1("h", 0),
                          rot("rz", 1, 0.5),
                          g1("s", 2),
                          {{"op", "cz"}, {"c", 0}, {"t", 2}},
                          cx(0, 1),
                          {{"op", "swap"}, {"a", 0}, {"b", 2}}}}};
  const q::ParsedCircuit parsed = q::parse_circuit(payload, QuantumOptions{});
  ASSERT_TRUE(parsed.ok());
  uint64_t flops = 0;
  q::final_state(parsed.circuit, q::ExecOptions{}, &flops);
  EXPECT_EQ(flops, 28u * 4 + 12u * 4 + 6u * 4 + 6u * 2);
  const jarvis::QuantumOutcome out = QuantumApproximationLayer().run(payload);
  ASSERT_TRUE(out.ok);
  EXPECT_GT(out.flops, flops);  // plus sampling and the reported probabilities
}

TEST(Quantum, BlockedPassesMatchDirectApplication) {
  constexpr unsigned kN = 9;
  constexpr unsigned kBlock = 4;
  RandomGates random(kN, 99);
  json gates = json::array();
  for (unsigned b = 0; b < kN; ++b) gates.push_back(rot("ry", b, 0.1 * (b + 1)));
  for (int k = 0; k < 400; ++k) gates.push_back(random.next());
  const q::ParsedCircuit parsed = q::parse_circuit({{"qubits", kN}, {"gates", gates}}, {});
  ASSERT_TRUE(parsed.ok());
  std::vector<q::Op> ops;
  for (const q::Gate& g : parsed.circuit.gates) ops.push_back(q::lower(g));
  // Every pass holds exactly kBlock qubits, including every qubit its gates
  // need and the low qubits asked for, and together the passes apply every
  // gate once.
  for (std::optional<unsigned> low : {std::optional<unsigned>{}, std::optional<unsigned>{0},
                                      std::optional<unsigned>{1}, std::optional<unsigned>{2}}) {
    size_t applied = 0;
    const uint64_t low_mask = (uint64_t{1} << low.value_or(2)) - 1;
    for (const q::Pass& pass : q::plan_passes(ops, kN, kBlock, low)) {
      EXPECT_EQ(std::popcount(pass.chunk_qubits), static_cast<int>(kBlock));
      for (const q::Op& op : pass.ops) EXPECT_EQ(q::op_needs(op) & ~pass.chunk_qubits, 0u);
      if (!pass.ops.empty() && std::popcount(q::op_needs(pass.ops[0])) <= 2) {
        EXPECT_EQ(pass.chunk_qubits & low_mask, low_mask);
      }
      applied += pass.ops.size();
    }
    EXPECT_EQ(applied, ops.size()) << "low " << low.value_or(99);
  }
  q::StateVector direct(kN), blocked(kN);
  const q::KernelTable& kernels = q::best_kernels();
  q::apply_direct(kernels, direct.data(), kN, ops);
  std::vector<double> buffer(size_t{2} << kBlock);
  std::vector<q::Op> scratch;
  q::apply_blocked(kernels, blocked.data(), kN, ops, kBlock, buffer.data(), scratch);
  for (uint64_t i = 0; i < direct.size(); ++i) {
    EXPECT_NEAR(std::abs(direct.amplitude(i) - blocked.amplitude(i)), 0.0, 1e-12) << i;
  }
}

// The planner as first written: each pass rescans every gate not yet
// placed. The linked-list planner must give the very same passes.
std::vector<q::Pass> rescanning_plan(std::span<const q::Op> ops, unsigned m, unsigned block,
                                     std::optional<unsigned> low_qubits) {
  std::vector<q::Pass> passes;
  if (block >= m) {
    passes.push_back({(uint64_t{1} << m) - 1, std::vector<q::Op>(ops.begin(), ops.end())});
    return passes;
  }
  const unsigned reserved = block < 4 ? 0 : std::min(low_qubits.value_or(4u), block / 2);
  std::vector<q::Op> pending(ops.begin(), ops.end()), rest;
  while (!pending.empty()) {
    q::Pass pass;
    pass.chunk_qubits = (uint64_t{1} << reserved) - 1;
    uint64_t blocked = 0;
    rest.clear();
    for (const q::Op& op : pending) {
      const uint64_t touched = q::op_touches(op);
      uint64_t with = pass.chunk_qubits | q::op_needs(op);
      if (pass.ops.empty() && blocked == 0 && std::popcount(with) > static_cast<int>(block)) {
        pass.chunk_qubits = 0;
        with = q::op_needs(op);
      }
      if ((touched & blocked) == 0 && std::popcount(with) <= static_cast<int>(block)) {
        pass.chunk_qubits = with;
        pass.ops.push_back(op);
      } else {
        blocked |= touched;
        rest.push_back(op);
      }
    }
    for (unsigned b = 0; std::popcount(pass.chunk_qubits) < static_cast<int>(block); ++b)
      pass.chunk_qubits |= uint64_t{1} << b;
    passes.push_back(std::move(pass));
    pending.swap(rest);
  }
  return passes;
}

TEST(Quantum, PlannerGivesTheRescanningPlannersPasses) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    const unsigned n = 5 + static_cast<unsigned>(rng() % 8);
    RandomGates random(n, seed);
    std::vector<q::Op> ops;
    for (int k = 0; k < 300; ++k) {
      const uint64_t pick = rng() % 40;
      if (pick == 0) {
        q::Op global;  // touches no qubit
        global.kind = q::OpKind::kPhase;
        ops.push_back(global);
      } else if (pick == 1) {
        q::Op dense;  // three qubits at once, as fusion makes them
        dense.kind = q::OpKind::kDense;
        while (std::popcount(dense.mask) < 3) dense.mask |= uint64_t{1} << (rng() % n);
        ops.push_back(dense);
      } else {
        const q::ParsedCircuit one =
            q::parse_circuit({{"qubits", n}, {"gates", json::array({random.next()})}}, {});
        ASSERT_TRUE(one.ok()) << one.error;
        ops.push_back(q::lower(one.circuit.gates[0]));
      }
    }
    for (unsigned block = 3; block <= n; ++block) {  // a chunk holds the 3-qubit ops
      for (std::optional<unsigned> low : {std::optional<unsigned>{}, std::optional<unsigned>{1}}) {
        const auto got = q::plan_passes(ops, n, block, low);
        const auto want = rescanning_plan(ops, n, block, low);
        ASSERT_EQ(got.size(), want.size()) << "seed " << seed << " block " << block;
        for (size_t p = 0; p < got.size(); ++p) {
          ASSERT_EQ(got[p].chunk_qubits, want[p].chunk_qubits) << "seed " << seed << " pass " << p;
          ASSERT_EQ(got[p].ops.size(), want[p].ops.size()) << "seed " << seed << " pass " << p;
          for (size_t i = 0; i < got[p].ops.size(); ++i) {
            const q::Op &a = got[p].ops[i], &b = want[p].ops[i];
            ASSERT_TRUE(a.kind == b.kind && a.target == b.target && a.controls == b.controls &&
                        a.mask == b.mask && a.off0 == b.off0 && a.u == b.u)
                << "seed " << seed << " pass " << p << " op " << i;
          }
        }
      }
    }
  }
}

std::vector<q::Op> lowered(const json& gates, unsigned n) {
  const q::ParsedCircuit parsed = q::parse_circuit({{"qubits", n}, {"gates", gates}}, {});
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  std::vector<q::Op> ops;
  for (const q::Gate& g : parsed.circuit.gates) ops.push_back(q::lower(g));
  return ops;
}

TEST(Quantum, FusionMergesOneQubitGatesOnlyAcrossGatesTheyCommuteWith) {
  struct Case {
    json gates;
    size_t ops_after;
  };
  const Case cases[] = {
      {{g1("h", 0), g1("t", 0), rot("ry", 0, 0.3)}, 1},       // consecutive
      {{rot("rz", 0, 0.4), cx(0, 1), g1("h", 0)}, 2},         // diagonal passes a control
      {{rot("rx", 1, 0.4), cx(0, 1), rot("ry", 1, 0.2)}, 2},  // a*I+b*X passes a target
      {{g1("h", 1), cx(0, 1), g1("h", 1)}, 3},                // H does not pass a target
      {{g1("h", 0), cx(0, 1), g1("h", 0)}, 3},                // nor a control
      {{g1("z", 0), {{"op", "swap"}, {"a", 0}, {"b", 1}}, g1("z", 0)}, 3},
      {{g1("s", 0), cp(0, 1, 0.5), g1("t", 0)}, 2},     // phases commute
      {{g1("h", 0), g1("measure", 0), g1("h", 0)}, 3},  // measurement is a barrier
  };
  for (const Case& c : cases) {
    std::vector<q::Op> ops = lowered(c.gates, 2);
    q::fuse_single_qubit_gates(ops);
    EXPECT_EQ(ops.size(), c.ops_after) << c.gates.dump();
  }
}

TEST(Quantum, FusedCircuitsGiveTheSameState) {
  constexpr unsigned kN = 8;
  RandomGates random(kN, 123);
  json gates = json::array();
  for (int k = 0; k < 2000; ++k) gates.push_back(random.next());
  std::vector<q::Op> plain = lowered(gates, kN);
  std::vector<q::Op> fused = plain;
  EXPECT_GT(q::fuse_single_qubit_gates(fused), 0u);
  EXPECT_LT(fused.size(), plain.size());
  q::StateVector a(kN), b(kN);
  for (unsigned k = 0; k < kN; ++k) {  // a start state with every amplitude in play
    q::Gate g;
    g.kind = q::GateKind::kRy;
    g.q[0] = k;
    g.theta = 0.3 + 0.2 * k;
    plain.insert(plain.begin(), q::lower(g));
    fused.insert(fused.begin(), q::lower(g));
  }
  q::apply_direct(q::best_kernels(), a.data(), kN, plain);
  q::apply_direct(q::best_kernels(), b.data(), kN, fused);
  for (uint64_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(std::abs(a.amplitude(i) - b.amplitude(i)), 0.0, 1e-12) << i;
  }
}

}  // namespace
