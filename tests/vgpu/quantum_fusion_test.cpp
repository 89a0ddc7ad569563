// Multi-qubit fusion and float32: the dense kernels against a plain
// reference, and fused and float32 runs against the unfused float64
// executor on random circuits.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <vector>

#include "tests/vgpu/random_circuit.h"
#include "vgpu/quantum/kernels/quantum_dense.h"
#include "vgpu/quantum/kernels/quantum_rng.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_fusion.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace {

using jarvis::QuantumApproximationLayer;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace q = jarvis::quantum;

q::Circuit parsed(const json& payload) {
  const q::ParsedCircuit p = q::parse_circuit(payload, QuantumOptions{});
  EXPECT_TRUE(p.ok()) << p.error;
  return p.circuit;
}

double max_distance(const q::StateVector& a, const q::StateVector& b) {
  double worst = 0.0;
  for (uint64_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(a.amplitude(i) - b.amplitude(i)));
  }
  return worst;
}

// The plain product: out[i] = sum_c M[row(i)][c] * in[i with the target bits = c].
std::vector<q::Complex> reference_dense(const std::vector<q::Complex>& in, const unsigned* t,
                                        unsigned k, const std::vector<q::Complex>& mat) {
  std::vector<q::Complex> out(in.size());
  for (uint64_t i = 0; i < in.size(); ++i) {
    unsigned row = 0;
    for (unsigned j = 0; j < k; ++j) row |= static_cast<unsigned>((i >> t[j]) & 1) << j;
    for (unsigned c = 0; c < (1u << k); ++c) {
      uint64_t from = i;
      for (unsigned j = 0; j < k; ++j) {
        from = (from & ~(uint64_t{1} << t[j])) | (uint64_t{(c >> j) & 1} << t[j]);
      }
      out[i] += mat[(row << k) | c] * in[from];
    }
  }
  return out;
}

TEST(QuantumDense, EveryKernelMatchesThePlainProductOnEveryTargetLayout) {
  constexpr unsigned kM = 7;
  unsigned count = 0;
  const q::DenseKernels* const* tables = q::runnable_dense_kernels(count);
  ASSERT_GE(count, 1u);
  q::Xoshiro256 rng(77);
  for (unsigned mask = 1; mask < (1u << kM); ++mask) {
    const unsigned k = static_cast<unsigned>(std::popcount(mask));
    if (k > 3) continue;
    unsigned t[3];
    for (unsigned q = 0, j = 0; q < kM; ++q) {
      if (mask >> q & 1) t[j++] = q;
    }
    std::vector<q::Complex> mat(size_t{1} << (2 * k)), in(size_t{1} << kM);
    for (q::Complex& c : mat) c = {rng.uniform() - 0.5, rng.uniform() - 0.5};
    for (q::Complex& c : in) c = {rng.uniform() - 0.5, rng.uniform() - 0.5};
    const std::vector<q::Complex> want = reference_dense(in, t, k, mat);
    for (unsigned n = 0; n < count; ++n) {
      std::vector<double> a64(2 * in.size());
      std::vector<float> a32(2 * in.size());
      for (size_t i = 0; i < in.size(); ++i) {
        a64[2 * i] = in[i].real();
        a64[2 * i + 1] = in[i].imag();
        a32[2 * i] = static_cast<float>(in[i].real());
        a32[2 * i + 1] = static_cast<float>(in[i].imag());
      }
      tables[n]->dense64(a64.data(), kM, k, t, mat.data());
      tables[n]->dense32(a32.data(), kM, k, t, mat.data());
      for (size_t i = 0; i < in.size(); ++i) {
        ASSERT_NEAR(std::abs(q::Complex(a64[2 * i], a64[2 * i + 1]) - want[i]), 0.0, 1e-14)
            << tables[n]->name << " mask " << mask << " amplitude " << i;
        ASSERT_NEAR(std::abs(q::Complex(a32[2 * i], a32[2 * i + 1]) - want[i]), 0.0, 2e-6)
            << tables[n]->name << " float32 mask " << mask << " amplitude " << i;
      }
    }
  }
}

TEST(QuantumDense, SmallStatesTakeTheOneAmplitudePath) {
  // Two qubits: fewer than one AVX-512 vector of float amplitudes.
  const std::vector<q::Complex> mat = {{0, 1}, {2, 0}, {0, 0}, {1, 1}};
  const unsigned t[1] = {1};
  unsigned count = 0;
  const q::DenseKernels* const* tables = q::runnable_dense_kernels(count);
  for (unsigned n = 0; n < count; ++n) {
    float a[8] = {1, 0, 2, 0, 3, 0, 4, 0};
    tables[n]->dense32(a, 2, 1, t, mat.data());
    // out[0] = i*1 + 2*3 = 6 + i; out[2] = (1 + i) * 3 = 3 + 3i.
    EXPECT_FLOAT_EQ(a[0], 6.0f) << tables[n]->name;
    EXPECT_FLOAT_EQ(a[1], 1.0f) << tables[n]->name;
    EXPECT_FLOAT_EQ(a[4], 3.0f) << tables[n]->name;
    EXPECT_FLOAT_EQ(a[5], 3.0f) << tables[n]->name;
  }
}

TEST(QuantumFusion, GroupsStayWithinTheirQubitLimitAndShrinkALayeredCircuit) {
  std::vector<q::Op> ops;
  for (unsigned layer = 0; layer < 4; ++layer) {
    for (uint32_t b = 0; b < 8; ++b) ops.push_back(q::lower({q::GateKind::kH, {b, 0, 0}, 0.0}));
    for (uint32_t b = layer % 2; b + 1 < 8; b += 2) {
      ops.push_back(q::lower({q::GateKind::kCz, {b, b + 1, 0}, 0.0}));
    }
  }
  for (unsigned max_qubits : {2u, 3u}) {
    q::DenseStore store;
    uint64_t flops = 0;
    const std::vector<q::Op> fused = q::fuse_multi_qubit_gates(ops, 0xff, max_qubits, store, flops);
    EXPECT_LT(fused.size(), ops.size() / 2) << max_qubits;
    EXPECT_GT(flops, 0u);
    for (const q::Op& op : fused) {
      EXPECT_LE(std::popcount(q::op_touches(op)), static_cast<int>(max_qubits));
    }
  }
}

TEST(QuantumFusion, FusedRunsMatchTheUnfusedReferenceOnRandomCircuits) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const q::Circuit c = parsed(jarvis::testing::random_circuit(10, 300, seed, false));
    q::ExecOptions reference;
    reference.fusion_qubits = 1;
    reference.threads = 1;
    const q::StateVector want = q::final_state(c, reference);
    for (unsigned fusion : {2u, 3u}) {
      for (unsigned block : {4u, 6u, 16u}) {
        q::ExecOptions exec;
        exec.fusion_qubits = fusion;
        exec.block_qubits = block;
        exec.threads = 2;
        const q::StateVector got = q::final_state(c, exec);
        EXPECT_LT(max_distance(got, want), 1e-12)
            << "seed " << seed << " fusion " << fusion << " block " << block;
      }
    }
  }
}

TEST(QuantumFusion, Float32RunsMatchTheFloat64ReferenceToFloatRounding) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    json payload = jarvis::testing::random_circuit(11, 300, seed, false);
    q::ExecOptions reference;
    reference.fusion_qubits = 1;
    const q::StateVector want = q::final_state(parsed(payload), reference);
    payload["precision"] = "float32";
    const q::Circuit c = parsed(payload);
    ASSERT_EQ(c.precision, q::Precision::kFloat32);
    for (unsigned fusion : {1u, 2u, 3u}) {
      for (unsigned block : {5u, 16u}) {
        q::ExecOptions exec;
        exec.fusion_qubits = fusion;
        exec.block_qubits = block;
        exec.threads = 2;
        const q::StateVector got = q::final_state(c, exec);
        ASSERT_EQ(got.precision(), q::Precision::kFloat32);
        EXPECT_LT(max_distance(got, want), 1e-5)
            << "seed " << seed << " fusion " << fusion << " block " << block;
      }
    }
  }
}

TEST(QuantumFusion, Float32RunsWithMeasurementsGiveTheFloat64Probabilities) {
  json payload = jarvis::testing::random_circuit(8, 36, 9, true, 500);
  QuantumOptions options;
  options.block_qubits = 4;
  options.threads = 2;
  const QuantumApproximationLayer layer(options);
  const jarvis::QuantumOutcome f64 = layer.run(payload);
  payload["precision"] = "float32";
  const jarvis::QuantumOutcome f32 = layer.run(payload);
  ASSERT_TRUE(f64.ok) << f64.error;
  ASSERT_TRUE(f32.ok) << f32.error;
  EXPECT_EQ(f64.result["precision"], "float64");
  EXPECT_EQ(f32.result["precision"], "float32");
  EXPECT_GT(f32.result["mid_circuit_measurements"].get<unsigned>(), 0u);
  uint64_t shots = 0;
  for (const auto& [bits, n] : f32.result["counts"].items()) shots += n.get<uint64_t>();
  EXPECT_EQ(shots, 500u);
  ASSERT_TRUE(f64.result.contains("probabilities"));
  ASSERT_TRUE(f32.result.contains("probabilities"));
  for (const auto& [bits, p] : f64.result["probabilities"].items()) {
    const double p32 = f32.result["probabilities"].value(bits, 0.0);
    EXPECT_NEAR(p32, p.get<double>(), 1e-5) << bits;
  }
}

TEST(QuantumFusion, PrecisionIsCheckedAndFloat32StatesTakeEightBytesAnAmplitude) {
  const json bad = {{"qubits", 2}, {"gates", json::array()}, {"precision", "float16"}};
  EXPECT_EQ(q::parse_circuit(bad, QuantumOptions{}).error,
            "precision: expected \"float64\" or \"float32\", got \"float16\"");
  const json bad_type = {{"qubits", 2}, {"gates", json::array()}, {"precision", 32}};
  EXPECT_FALSE(q::parse_circuit(bad_type, QuantumOptions{}).ok());
  QuantumOptions small;
  small.max_state_bytes = uint64_t{8} << 20;  // 2^20 amplitudes of 8 bytes
  json payload = {{"qubits", 20}, {"gates", json::array()}};
  EXPECT_FALSE(q::parse_circuit(payload, small).ok());
  payload["precision"] = "float32";
  EXPECT_TRUE(q::parse_circuit(payload, small).ok()) << q::parse_circuit(payload, small).error;
  payload["precision"] = "float64";
  EXPECT_FALSE(q::parse_circuit(payload, small).ok());
}

}  // namespace

namespace {

TEST(QuantumFusion, AnEngineOfAnotherPrecisionRefusesTheRun) {
  const q::Circuit c = parsed(
      {{"qubits", 3}, {"gates", json::array({{{"op", "h"}, {"q", 0}}})}, {"precision", "float32"}});
  q::SimulationPlan plan = q::plan_simulation(c, uint64_t{1} << 30);
  ASSERT_TRUE(plan.error.empty()) << plan.error;
  q::CpuEngine float64_engine(3, q::ExecOptions{});  // like a GPU engine: float64 only
  const q::Simulation sim = q::run_plan(c, std::move(plan), float64_engine);
  EXPECT_EQ(sim.error.rfind("precision: float32 is not supported by the ", 0), 0u) << sim.error;
}

}  // namespace
