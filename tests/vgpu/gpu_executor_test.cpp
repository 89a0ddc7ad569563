// The CUDA executor's behaviour that needs no GPU: without a driver or
// device it answers with reasons instead of failing, and a bad payload gets
// exactly the host's error (validation happens before any device call).
#include <gtest/gtest.h>

#include <string>

#include "tests/vgpu/random_circuit.h"
#include "vgpu/cuda/gpu_executor.h"
#include "vgpu/linalg_ops.h"
#include "vgpu/quantum_layer.h"

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
  };
  for (const json& payload : bad) {
    const OpResult want = jarvis::run_linalg(payload, limits, nullptr);
    const OpResult got = exec.run(OperationKind::Linalg, payload);
    ASSERT_FALSE(want.ok) << payload.dump();
    EXPECT_FALSE(got.ok);
    EXPECT_EQ(got.error, want.error) << payload.dump();
  }
}

}  // namespace
