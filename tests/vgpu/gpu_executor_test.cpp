// The CUDA executor's behaviour that needs no GPU: without a driver or
// device it answers with reasons instead of failing, and a bad payload gets
// exactly the host's error (validation happens before any device call).
// Also the solve hook's host side (lu_rcond on getrf-style factors, and
// run_linalg with a DenseSolve) against Eigen, with a reference getrf
// standing in for cuSOLVER.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "tests/vgpu/random_circuit.h"
#include "vgpu/cuda/gpu_executor.h"
#include "vgpu/cuda/gpu_solver.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/payload/payload_parse.h"
#include "vgpu/quantum/quantum_layer.h"

namespace {

using jarvis::OperationKind;
using jarvis::OpResult;
using jarvis::PayloadLimits;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace gpu = jarvis::gpu;

bool have_gpu() {
  return gpu::cuda_device_count() > 0;
}

TEST(GpuExecutorNoDevice, CalibrationSaysWhyAndMeasuresNothing) {
  if (have_gpu()) GTEST_SKIP() << "a CUDA device is present";
  std::string why;
  EXPECT_EQ(gpu::cuda_device_count(&why), 0);
  EXPECT_FALSE(why.empty());
  const gpu::GpuCalibration cal = gpu::calibrate_gpu(0, 0.01);
  EXPECT_FALSE(cal.ok);
  EXPECT_NE(cal.error.find("gpu0"), std::string::npos) << cal.error;
  EXPECT_EQ(cal.device.id, "gpu0");
  EXPECT_EQ(cal.device.kind, jarvis::DeviceKind::Gpu);
  EXPECT_TRUE(cal.device.capabilities.empty());
}

TEST(GpuExecutorNoDevice, RunReturnsAnErrorValue) {
  if (have_gpu()) GTEST_SKIP() << "a CUDA device is present";
  gpu::GpuExecutor exec(0, QuantumOptions{}, PayloadLimits{});
  EXPECT_EQ(exec.id(), "gpu0");
  const OpResult q =
      exec.run(OperationKind::Quantum, jarvis::testing::random_circuit(4, 20, 1, true));
  EXPECT_FALSE(q.ok);
  EXPECT_NE(q.error.find("gpu0"), std::string::npos) << q.error;
  const OpResult l = exec.run(OperationKind::Linalg,
                              {{"operation", "matmul"}, {"matrix", {{1, 2}}}, {"vector", {3, 4}}});
  EXPECT_FALSE(l.ok);
  EXPECT_NE(l.error.find("gpu0"), std::string::npos) << l.error;
  // The host-run linalg operations need no device.
  const OpResult t =
      exec.run(OperationKind::Linalg, {{"operation", "transpose"}, {"matrix", {{1, 2}}}});
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.result["device"], "host");
  // The device copies' self-check cannot run: it says why, and nothing breaks.
  const std::string why = exec.check_tensor_copies();
  EXPECT_NE(why.find("self-check"), std::string::npos) << why;
  EXPECT_NE(why.find("gpu0"), std::string::npos) << why;
}

TEST(GpuExecutorNoDevice, SolveFailsWithTheDeviceOrRunsOnTheHost) {
  if (have_gpu()) GTEST_SKIP() << "a CUDA device is present";
  gpu::GpuExecutor exec(0, QuantumOptions{}, PayloadLimits{});
  const json payload = {{"operation", "solve"}, {"matrix", {{2, 0}, {0, 4}}}, {"vector", {2, 8}}};
  const OpResult r = exec.run(OperationKind::Linalg, payload);
  if (gpu::cusolver_available(nullptr)) {
    // cuSOLVER loads, so solve goes to the device, which is not here.
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("gpu0"), std::string::npos) << r.error;
  } else {
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.result["device"], "host");
    EXPECT_EQ(r.result["value"], json::array({1.0, 2.0}));
  }
}

TEST(GpuExecutor, RefusesHashingAndGeneric) {
  gpu::GpuExecutor exec(0, QuantumOptions{}, PayloadLimits{});
  const OpResult h = exec.run(OperationKind::Hashing, {{"data", "abc"}});
  EXPECT_FALSE(h.ok);
  EXPECT_NE(h.error.find("quantum and linalg"), std::string::npos) << h.error;
  EXPECT_FALSE(exec.run(OperationKind::Generic, json::object()).ok);
}

TEST(GpuExecutor, BadQuantumPayloadsGiveTheHostsErrors) {
  const QuantumOptions options;
  gpu::GpuExecutor exec(0, options, PayloadLimits{});
  const jarvis::QuantumApproximationLayer host(options);
  const json bad[] = {
      json::array(),
      {{"qubits", 0}},
      {{"qubits", 2}, {"gates", {{{"op", "h"}, {"q", 5}}}}},
      {{"qubits", 2}, {"gates", {{{"op", "nope"}, {"q", 0}}}}},
      {{"qubits", 2}, {"gates", json::array()}, {"shots", -1}},
      {{"qubits", 2}, {"gates", json::array()}, {"extra", 1}},
      {{"qubits", 99}, {"gates", json::array()}},
  };
  for (const json& payload : bad) {
    const jarvis::QuantumOutcome want = host.run(payload);
    const OpResult got = exec.run(OperationKind::Quantum, payload);
    ASSERT_FALSE(want.ok) << payload.dump();
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.error, want.error) << payload.dump();
  }
}

TEST(GpuExecutor, BadLinalgPayloadsGiveTheHostsErrors) {
  const PayloadLimits limits;
  gpu::GpuExecutor exec(0, QuantumOptions{}, limits);
  const json bad[] = {
      json::array(),
      {{"operation", "cube"}, {"matrix", {{1}}}},
      {{"operation", "matmul"}, {"matrix", {{1, 2}, {3}}}, {"vector", {1, 2}}},
      {{"operation", "matmul"}, {"matrix", {{1, 2}}}, {"vector", {1, 2, 3}}},
      {{"operation", "matvec"}, {"matrix", {{1, 2}}}},
      {{"operation", "matmul"}, {"matrix", {{1, 2}}}, {"vector", {1, 2}}, {"other", {{1}}}},
      {{"operation", "matmul"}, {"matrix", {{1, 2}}}, {"vector", {1, "x"}}},
      {{"operation", "solve"}, {"matrix", {{1, 2}}}, {"vector", {1}}},
      {{"operation", "solve"}, {"matrix", {{1, 2}, {3, 4}}}, {"vector", {1}}},
      {{"operation", "solve"}, {"matrix", {{1, 2}, {3, 4}}}, {"other", {{1, 2, 3}}}},
      {{"operation", "solve"}, {"matrix", {{1, 2}, {3, 4}}}},
  };
  for (const json& payload : bad) {
    const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
    const OpResult got = exec.run(OperationKind::Linalg, payload);
    ASSERT_FALSE(want.ok) << payload.dump();
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.error, want.error) << payload.dump();
  }
}

// Unblocked LU with partial pivoting as LAPACK's dgetf2 leaves it (and
// cuSOLVER's getrf): in place, 1-based row swaps in `ipiv`. Returns devInfo:
// 0, or the 1-based column of the first exactly zero pivot.
int reference_getrf(Eigen::MatrixXd& a, std::vector<int>& ipiv) {
  const Eigen::Index n = a.rows();
  ipiv.assign(static_cast<size_t>(n), 0);
  int info = 0;
  for (Eigen::Index j = 0; j < n; ++j) {
    Eigen::Index p = 0;
    a.col(j).tail(n - j).cwiseAbs().maxCoeff(&p);
    p += j;
    ipiv[static_cast<size_t>(j)] = static_cast<int>(p + 1);
    if (a(p, j) == 0.0) {
      if (info == 0) info = static_cast<int>(j + 1);
      continue;
    }
    if (p != j) a.row(p).swap(a.row(j));
    const Eigen::Index rest = n - j - 1;
    a.col(j).tail(rest) /= a(j, j);
    a.bottomRightCorner(rest, rest).noalias() -= a.col(j).tail(rest) * a.row(j).tail(rest);
  }
  return info;
}

double l1_norm(const Eigen::MatrixXd& a) {
  return a.cwiseAbs().colwise().sum().maxCoeff();
}

// What GpuSolver does, with reference_getrf in place of the device.
std::string reference_solve(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                            jarvis::DenseSolution& out) {
  Eigen::MatrixXd lu = a;
  std::vector<int> ipiv;
  const int info = reference_getrf(lu, ipiv);
  out.method = "reference-getrf";
  out.rcond = jarvis::lu_rcond(lu, ipiv, l1_norm(a));
  if (info > 0) out.rcond = 0.0;
  if (!(out.rcond > jarvis::kSolveMinRcond)) return {};
  out.x = b;
  for (size_t i = 0; i < ipiv.size(); ++i)
    out.x.row(static_cast<Eigen::Index>(i)).swap(out.x.row(ipiv[i] - 1));
  lu.triangularView<Eigen::UnitLower>().solveInPlace(out.x);
  lu.triangularView<Eigen::Upper>().solveInPlace(out.x);
  return {};
}

Eigen::MatrixXd hilbert(int n) {
  Eigen::MatrixXd h(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) h(i, j) = 1.0 / (i + j + 1);
  return h;
}

TEST(LuRcond, GetrfFactorsGiveTheHostsEstimate) {
  std::vector<Eigen::MatrixXd> cases = {hilbert(6), hilbert(10), Eigen::MatrixXd::Identity(4, 4)};
  for (int n : {1, 2, 3, 7, 40, 120}) {
    Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n);
    cases.push_back(a);
    a.row(0) *= 1e-9;  // badly scaled, so the pivots move
    cases.push_back(a);
  }
  for (const Eigen::MatrixXd& a : cases) {
    Eigen::MatrixXd lu = a;
    std::vector<int> ipiv;
    ASSERT_EQ(reference_getrf(lu, ipiv), 0);
    const double want = Eigen::PartialPivLU<Eigen::MatrixXd>(a).rcond();
    const double got = jarvis::lu_rcond(lu, ipiv, l1_norm(a));
    EXPECT_NEAR(got, want, 1e-8 * want) << a.rows() << " x " << a.cols();
  }
}

TEST(LuRcond, RejectsMalformedFactors) {
  const Eigen::MatrixXd lu = Eigen::MatrixXd::Identity(2, 2);
  EXPECT_EQ(jarvis::lu_rcond(lu, {1}, 1.0), 0.0);
  EXPECT_EQ(jarvis::lu_rcond(lu, {1, 3}, 1.0), 0.0);
  EXPECT_EQ(jarvis::lu_rcond(lu, {0, 2}, 1.0), 0.0);
  EXPECT_EQ(jarvis::lu_rcond(lu, {2, 2}, 1.0), 1.0);
}

TEST(DenseSolveHook, GivesTheHostsAnswers) {
  const PayloadLimits limits;
  for (int n : {1, 5, 60}) {
    const Eigen::MatrixXd a = Eigen::MatrixXd::Random(n, n) + n * Eigen::MatrixXd::Identity(n, n);
    const Eigen::VectorXd x = Eigen::VectorXd::Random(n);
    const Eigen::MatrixXd b = Eigen::MatrixXd::Random(n, 3);
    const json one = {{"operation", "solve"},
                      {"matrix", jarvis::matrix_to_json(a)},
                      {"vector", jarvis::vector_to_json(x)}};
    const json many = {{"operation", "solve"},
                       {"matrix", jarvis::matrix_to_json(a)},
                       {"other", jarvis::matrix_to_json(b)}};
    for (const json& payload : {one, many}) {
      const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
      const OpResult got = jarvis::run_linalg(payload, limits, nullptr, {}, reference_solve);
      ASSERT_TRUE(want.ok) << want.error;
      ASSERT_TRUE(got.ok) << got.error;
      EXPECT_EQ(got.result["method"], "reference-getrf");
      EXPECT_EQ(got.result["shape"], want.result["shape"]);
      EXPECT_EQ(got.flops, want.flops);
      EXPECT_NEAR(got.result["rcond_estimate"].get<double>(),
                  want.result["rcond_estimate"].get<double>(),
                  1e-8 * want.result["rcond_estimate"].get<double>());
      Eigen::MatrixXd wv, gv;
      const json& w = want.result["value"];
      const json& g = got.result["value"];
      const bool flat = !w[0].is_array();
      ASSERT_TRUE(
          jarvis::parse_matrix(flat ? json::array({w}) : w, "w", 1 << 20, 1 << 20, wv).empty());
      ASSERT_TRUE(
          jarvis::parse_matrix(flat ? json::array({g}) : g, "g", 1 << 20, 1 << 20, gv).empty());
      EXPECT_LE((gv - wv).norm(), 1e-9 * wv.norm()) << n;
    }
  }
}

TEST(DenseSolveHook, RefusesWhatTheHostRefuses) {
  const PayloadLimits limits;
  Eigen::MatrixXd dup = Eigen::MatrixXd::Random(20, 20);
  dup.row(7) = dup.row(3);
  const json bad[] = {
      {{"operation", "solve"}, {"matrix", {{1, 2}, {2, 4}}}, {"vector", {1, 2}}},
      {{"operation", "solve"}, {"matrix", {{0}}}, {"vector", {1}}},
      {{"operation", "solve"}, {"matrix", {{0, 0}, {0, 0}}}, {"vector", {1, 2}}},
      {{"operation", "solve"},
       {"matrix", {{1, 0, 0}, {0, 0, 0}, {0, 0, 0}}},
       {"vector", {1, 2, 3}}},
      {{"operation", "solve"},
       {"matrix", jarvis::matrix_to_json(dup)},
       {"vector", jarvis::vector_to_json(Eigen::VectorXd::Ones(20))}},
      {{"operation", "solve"},
       {"matrix", jarvis::matrix_to_json(hilbert(14))},
       {"vector", jarvis::vector_to_json(Eigen::VectorXd::Ones(14))}},
      {{"operation", "solve"}, {"matrix", {{1, 2}}}, {"vector", {1}}},
      {{"operation", "solve"}, {"matrix", {{1, 2}, {3, 4}}}, {"vector", {1, 2, 3}}},
  };
  for (const json& payload : bad) {
    const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
    const OpResult got = jarvis::run_linalg(payload, limits, nullptr, {}, reference_solve);
    ASSERT_FALSE(want.ok) << payload.dump();
    EXPECT_FALSE(got.ok) << payload.dump();
    EXPECT_EQ(got.error, want.error) << payload.dump();
  }
}

TEST(DenseSolveHook, ItsErrorIsTheResult) {
  const jarvis::DenseSolve failing = [](const Eigen::MatrixXd&, const Eigen::MatrixXd&,
                                        jarvis::DenseSolution&) { return std::string("gpu9: no"); };
  const OpResult r =
      jarvis::run_linalg({{"operation", "solve"}, {"matrix", {{2}}}, {"vector", {1}}},
                         PayloadLimits{}, nullptr, {}, failing);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "gpu9: no");
}

}  // namespace
