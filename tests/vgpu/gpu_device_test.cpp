// The vgpu layers on a real CUDA device, against the host as reference:
// states, probabilities and seeded counts of random circuits (controls,
// swaps, mid-circuit measurements), cuBLAS products, cuSOLVER solves and
// their singular refusals, products by tensor id from the device's kept
// copy, the calibration and the memory refusal. Every test skips itself without
// a device; run them with `ctest --test-dir build -L gpu` on a machine with a GPU.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <string>

#include <Eigen/Dense>

#include "tests/vgpu/random_circuit.h"
#include "vgpu/cuda/cuda_state_engine.h"
#include "vgpu/cuda/gpu_executor.h"
#include "vgpu/cuda/gpu_solver.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/payload/payload_parse.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_simulator.h"
#include "vgpu/tensor/tensor_store.h"

namespace {

using jarvis::OperationKind;
using jarvis::OpResult;
using jarvis::PayloadLimits;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace gpu = jarvis::gpu;
namespace q = jarvis::quantum;

#define REQUIRE_GPU()                                                                 \
  do {                                                                                \
    std::string why;                                                                  \
    if (gpu::cuda_device_count(&why) == 0) GTEST_SKIP() << "no CUDA device: " << why; \
  } while (0)

q::Circuit parse(const json& payload) {
  const q::ParsedCircuit parsed = q::parse_circuit(payload, QuantumOptions{});
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  return parsed.circuit;
}

TEST(GpuDevice, GateKernelsGiveTheHostState) {
  REQUIRE_GPU();
  // 18 qubits: more than one block of threads, targets above and below 2^8.
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const q::Circuit c = parse(jarvis::testing::random_circuit(18, 400, seed, seed % 2 == 0));
    q::CpuEngine cpu(c.qubits, q::ExecOptions{});
    gpu::CudaStateEngine dev(0, c.qubits);
    const uint64_t cpu_flops = q::run_trajectory(c, cpu);
    const uint64_t dev_flops = q::run_trajectory(c, dev);
    // Gates count the same; reductions for measurements count what each engine does.
    if (seed % 2 == 1) {
      EXPECT_EQ(cpu_flops, dev_flops);
    }
    const q::StateVector& want = cpu.host_state(0);
    const q::StateVector& got = dev.host_state(0);
    double worst = 0.0;
    for (uint64_t i = 0; i < want.size(); ++i)
      worst = std::max(worst, std::abs(want.amplitude(i) - got.amplitude(i)));
    EXPECT_LT(worst, 1e-10) << "seed " << seed;
  }
}

TEST(GpuDevice, CircuitsGiveTheHostsCountsAndProbabilities) {
  REQUIRE_GPU();
  const QuantumOptions options;
  gpu::GpuExecutor exec(0, options, PayloadLimits{});
  const jarvis::QuantumApproximationLayer host(options);
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    const json payload = jarvis::testing::random_circuit(10, 150, seed, true, 2000);
    const jarvis::QuantumOutcome want = host.run(payload);
    const OpResult got = exec.run(OperationKind::Quantum, payload);
    ASSERT_TRUE(want.ok) << want.error;
    ASSERT_TRUE(got.ok) << got.error;
    EXPECT_EQ(got.result["device"], "gpu0");
    // Seeded draws agree unless a uniform lands within rounding of a boundary.
    EXPECT_EQ(got.result["counts"], want.result["counts"]) << "seed " << seed;
    EXPECT_EQ(got.result["trajectories"], want.result["trajectories"]);
    // Exact probabilities come with the exact mixture only; otherwise both
    // say why there are none.
    ASSERT_EQ(got.result.contains("probabilities"), want.result.contains("probabilities"))
        << "seed " << seed;
    if (!want.result.contains("probabilities")) {
      EXPECT_EQ(got.result.at("probabilities_note"), want.result.at("probabilities_note"));
      continue;
    }
    const json& pw = want.result.at("probabilities");
    const json& pg = got.result.at("probabilities");
    for (auto it = pw.begin(); it != pw.end(); ++it) {
      const double g = pg.contains(it.key()) ? pg.at(it.key()).get<double>() : 0.0;
      EXPECT_NEAR(g, it.value().get<double>(), 1e-12) << it.key();
    }
  }
}

// Small enough for compute-sanitizer's racecheck (scripts/gpu-check): the
// shared-memory reductions behind mid-circuit measurements, on one state.
TEST(GpuDevice, MeasurementReductionsGiveTheHostState) {
  REQUIRE_GPU();
  const q::Circuit c = parse(jarvis::testing::random_circuit(12, 60, 5, true));
  q::CpuEngine cpu(c.qubits, q::ExecOptions{});
  gpu::CudaStateEngine dev(0, c.qubits);
  q::run_trajectory(c, cpu);
  q::run_trajectory(c, dev);
  const q::StateVector& want = cpu.host_state(0);
  const q::StateVector& got = dev.host_state(0);
  double worst = 0.0;
  for (uint64_t i = 0; i < want.size(); ++i)
    worst = std::max(worst, std::abs(want.amplitude(i) - got.amplitude(i)));
  EXPECT_LT(worst, 1e-10);
}

TEST(GpuDevice, LargeStateCountsMatch) {
  REQUIRE_GPU();
  // 22 qubits (64 MiB, many thread blocks), one trajectory: no exact
  // mixture above 16 qubits, so compare the seeded counts.
  const json payload = jarvis::testing::random_circuit(22, 200, 99, false, 4096);
  QuantumOptions options;
  const jarvis::QuantumOutcome want = jarvis::QuantumApproximationLayer(options).run(payload);
  const OpResult got =
      gpu::GpuExecutor(0, options, PayloadLimits{}).run(OperationKind::Quantum, payload);
  ASSERT_TRUE(want.ok) << want.error;
  ASSERT_TRUE(got.ok) << got.error;
  EXPECT_EQ(got.result["counts"], want.result["counts"]);
}

// A long stretch of gates (no measurement to end it) stops at a check inside
// it, the kernels launched so far waited for: 26 qubits (1 GiB), 2500
// Hadamards each followed by a CNOT to the next qubit (nothing to merge;
// seconds of kernels), a deadline 50 ms away. Without the checks the run
// ends with its result.
TEST(GpuDevice, ALongStretchOfGatesStopsPartWay) {
  REQUIRE_GPU();
  json gates = json::array();
  for (unsigned i = 0; i < 2500; ++i) {
    gates.push_back({{"op", "h"}, {"q", i % 26}});
    gates.push_back({{"op", "cx"}, {"c", i % 26}, {"t", (i + 1) % 26}});
  }
  const json payload = {{"qubits", 26}, {"gates", gates}, {"shots", 0}};
  gpu::GpuExecutor executor(0, QuantumOptions{}, PayloadLimits{});
  const jarvis::StopToken stop(nullptr,
                               jarvis::StopToken::Clock::now() + std::chrono::milliseconds(50));
  jarvis::StopReason reason = jarvis::StopReason::kNone;
  try {
    const OpResult r = executor.run(OperationKind::Quantum, payload, nullptr, stop);
    ADD_FAILURE() << "ran to its end: " << (r.ok ? "ok" : r.error);
  } catch (const jarvis::Stopped& stopped) {
    reason = stopped.reason;
  }
  EXPECT_EQ(reason, jarvis::StopReason::kDeadlinePassed);
  // The executor is usable after the stop.
  const OpResult small =
      executor.run(OperationKind::Quantum, jarvis::testing::random_circuit(10, 50, 7, false, 64));
  EXPECT_TRUE(small.ok) << small.error;
}

TEST(GpuDevice, RefusesStatesOverTheMemoryLimit) {
  REQUIRE_GPU();
  QuantumOptions options;
  options.max_state_bytes = 1ull << 20;  // 16 qubits
  gpu::GpuExecutor exec(0, options, PayloadLimits{});
  const json payload = jarvis::testing::random_circuit(16, 40, 3, true, 64);
  const OpResult got = exec.run(OperationKind::Quantum, payload);
  const jarvis::QuantumOutcome want = jarvis::QuantumApproximationLayer(options).run(payload);
  EXPECT_EQ(got.ok, want.ok);
  EXPECT_EQ(got.error, want.error);
}

json matrix_json(const Eigen::MatrixXd& m) {
  return jarvis::matrix_to_json(m);
}

// A linalg "value" (a vector, or a matrix as rows) equal to `want` within `tol`.
void expect_values_near(const json& got, const json& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].is_array()) {
      ASSERT_EQ(got[i].size(), want[i].size());
      for (size_t j = 0; j < want[i].size(); ++j)
        EXPECT_NEAR(got[i][j].get<double>(), want[i][j].get<double>(), tol) << i << "," << j;
    } else {
      EXPECT_NEAR(got[i].get<double>(), want[i].get<double>(), tol) << i;
    }
  }
}

TEST(GpuDevice, MatmulAndMatvecMatchTheHost) {
  REQUIRE_GPU();
  const PayloadLimits limits;
  gpu::GpuExecutor exec(0, QuantumOptions{}, limits);
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> dim(1, 300);
  for (int trial = 0; trial < 12; ++trial) {
    const int m = dim(rng), k = dim(rng), n = dim(rng);
    const Eigen::MatrixXd a = Eigen::MatrixXd::Random(m, k);
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(k, n);
    const Eigen::VectorXd x = Eigen::VectorXd::Random(k);
    const json mm = {
        {"operation", "matmul"}, {"matrix", matrix_json(a)}, {"other", matrix_json(b)}};
    const json mv = {
        {"operation", "matvec"}, {"matrix", matrix_json(a)}, {"vector", jarvis::vector_to_json(x)}};
    for (const json& payload : {mm, mv}) {
      const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
      const OpResult got = exec.run(OperationKind::Linalg, payload);
      ASSERT_TRUE(got.ok) << got.error;
      EXPECT_EQ(got.result["device"], "gpu0");
      EXPECT_EQ(got.result["shape"], want.result["shape"]);
      EXPECT_EQ(got.flops, want.flops);
      expect_values_near(got.result["value"], want.result["value"], 1e-12 * k);
    }
  }
}

// A float64 matrix named by tensor id is uploaded once and read from the
// device's copy (row-major bytes as cuBLAS's transposed operand): products
// by id agree with the host's on random shapes, again from the kept copy,
// and the copy goes when the store drops the tensor.
TEST(GpuDevice, ProductsByTensorIdKeepADeviceCopyAndMatchTheHost) {
  REQUIRE_GPU();
  const PayloadLimits limits;
  gpu::GpuExecutor exec(0, QuantumOptions{}, limits);
  EXPECT_EQ(exec.check_tensor_copies(), "");  // the start-up check passes: copies in use
  jarvis::TensorStore store;
  std::mt19937_64 rng(6);
  std::uniform_int_distribution<int> dim(1, 300);
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  for (int trial = 0; trial < 12; ++trial) {
    const int m = dim(rng), k = dim(rng), n = dim(rng);
    std::vector<double> rows(static_cast<size_t>(m) * k);
    for (double& v : rows) v = value(rng);
    const auto put = store.put(jarvis::encode_npy(
        jarvis::Dtype::kFloat64, {static_cast<uint64_t>(m), static_cast<uint64_t>(k)}, rows.data(),
        rows.size() * sizeof(double)));
    ASSERT_TRUE(put.tensor) << put.error;
    const json id = {{"tensor", put.tensor->id}};
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(k, n);
    const Eigen::VectorXd x = Eigen::VectorXd::Random(k);
    const json mm = {
        {"operation", "matmul"}, {"matrix", id}, {"other", matrix_json(b)}, {"compress", false}};
    const json mv = {{"operation", "matvec"},
                     {"matrix", id},
                     {"vector", jarvis::vector_to_json(x)},
                     {"compress", false}};
    for (const json& payload : {mm, mv, mm}) {
      const OpResult want = jarvis::run_linalg(payload, limits, nullptr, {}, {}, &store);
      const OpResult got = exec.run(OperationKind::Linalg, payload, &store);
      ASSERT_TRUE(want.ok) << want.error;
      ASSERT_TRUE(got.ok) << got.error;
      EXPECT_EQ(got.result["device"], "gpu0");
      EXPECT_TRUE(put.tensor->device_copies.get("gpu0")) << "the copy is kept";
      expect_values_near(got.result["value"], want.result["value"], 1e-12 * k);
    }
    EXPECT_TRUE(store.erase(put.tensor->id));
    EXPECT_FALSE(put.tensor->device_copies.get("gpu0")) << "dropped with the tensor";
  }
}

TEST(GpuDevice, SeedExampleMatmul) {
  REQUIRE_GPU();
  gpu::GpuExecutor exec(0, QuantumOptions{}, PayloadLimits{});
  const OpResult r = exec.run(OperationKind::Linalg,
                              {{"matrix", {1, 2}}, {"vector", {3, 4}}, {"operation", "matmul"}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], json::array({11.0}));
}

#define REQUIRE_CUSOLVER()                                                      \
  do {                                                                          \
    std::string why;                                                            \
    if (!gpu::cusolver_available(&why)) GTEST_SKIP() << "no cuSOLVER: " << why; \
  } while (0)

// The "value" of a solve result as a matrix (a flat array as one column).
Eigen::MatrixXd value_matrix(const json& value) {
  Eigen::MatrixXd m;
  const bool flat = !value.empty() && !value[0].is_array();
  EXPECT_TRUE(
      jarvis::parse_matrix(flat ? json::array({value}) : value, "value", 1ull << 30, 1ull << 30, m)
          .empty());
  return flat ? Eigen::MatrixXd(m.transpose()) : m;
}

TEST(GpuDevice, SolveMatchesEigen) {
  REQUIRE_GPU();
  REQUIRE_CUSOLVER();
  const PayloadLimits limits;
  gpu::GpuExecutor exec(0, QuantumOptions{}, limits);
  std::mt19937_64 rng(8);
  std::uniform_int_distribution<int> dim(1, 300);
  for (int trial = 0; trial < 10; ++trial) {
    const int n = trial == 0 ? 1 : dim(rng);
    const int k = 1 + trial % 4;
    // Diagonally dominant: well conditioned, so 1e-9 relative is a fair bar.
    const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n) + n * Eigen::MatrixXd::Identity(n, n);
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, k);
    const json one = {{"operation", "solve"},
                      {"matrix", matrix_json(a)},
                      {"vector", jarvis::vector_to_json(b.col(0))}};
    const json many = {
        {"operation", "solve"}, {"matrix", matrix_json(a)}, {"other", matrix_json(b)}};
    for (const json& payload : {one, many}) {
      const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
      const OpResult got = exec.run(OperationKind::Linalg, payload);
      ASSERT_TRUE(want.ok) << want.error;
      ASSERT_TRUE(got.ok) << got.error;
      EXPECT_EQ(got.result["device"], "gpu0");
      EXPECT_EQ(got.result["method"], "cusolver-getrf");
      EXPECT_EQ(got.result["shape"], want.result["shape"]);
      EXPECT_EQ(got.flops, want.flops);
      const double wr = want.result["rcond_estimate"].get<double>();
      EXPECT_NEAR(got.result["rcond_estimate"].get<double>(), wr, 1e-6 * wr);
      const Eigen::MatrixXd wx = value_matrix(want.result["value"]);
      const Eigen::MatrixXd gx = value_matrix(got.result["value"]);
      ASSERT_EQ(gx.rows(), wx.rows());
      ASSERT_EQ(gx.cols(), wx.cols());
      EXPECT_LE((gx - wx).norm(), 1e-9 * wx.norm()) << n << " x " << k;
    }
  }
}

TEST(GpuDevice, SingularSolveGetsTheHostsRefusal) {
  REQUIRE_GPU();
  REQUIRE_CUSOLVER();
  const PayloadLimits limits;
  gpu::GpuExecutor exec(0, QuantumOptions{}, limits);
  Eigen::MatrixXd dup = Eigen::MatrixXd::Random(64, 64);
  dup.row(40) = dup.row(2);
  const json bad[] = {
      {{"operation", "solve"}, {"matrix", {{1, 2}, {2, 4}}}, {"vector", {1, 2}}},
      {{"operation", "solve"}, {"matrix", {{0}}}, {"vector", {1}}},
      {{"operation", "solve"},
       {"matrix", {{1, 0, 0}, {0, 0, 0}, {0, 0, 0}}},
       {"vector", {1, 2, 3}}},
      {{"operation", "solve"}, {"matrix", matrix_json(dup)}, {"other", matrix_json(dup)}},
      {{"operation", "solve"}, {"matrix", {{1, 2}}}, {"vector", {1}}},
  };
  for (const json& payload : bad) {
    const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
    const OpResult got = exec.run(OperationKind::Linalg, payload);
    ASSERT_FALSE(want.ok);
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.error, want.error);
  }
}

TEST(GpuDevice, CalibrationMeasuresPositiveThroughputs) {
  REQUIRE_GPU();
  const gpu::GpuCalibration cal = gpu::calibrate_gpu(0, 0.05);
  ASSERT_TRUE(cal.ok) << cal.error;
  EXPECT_EQ(cal.device.id, "gpu0");
  EXPECT_TRUE(cal.device.can_run(OperationKind::Quantum));
  EXPECT_GT(cal.device.throughput[jarvis::kind_index(OperationKind::Quantum)], 0.0);
  EXPECT_GT(cal.link.bytes_per_second, 0.0);
  EXPECT_GT(cal.link.latency_seconds, 0.0);
  if (cal.device.can_run(OperationKind::Linalg)) {
    EXPECT_GT(cal.device.perf_score, 0.0);
  } else {
    EXPECT_NE(cal.note.find("linalg"), std::string::npos) << cal.note;
  }
  EXPECT_FALSE(cal.device.can_run(OperationKind::Hashing));
}

}  // namespace
