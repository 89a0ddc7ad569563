// calibrate_gpu (gpu_executor.h): a short run of the device's real kernels
// per operation kind, and timed copies for the link.
#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "vgpu/cuda/cuda_check.h"
#include "vgpu/cuda/cuda_state_engine.h"
#include "vgpu/cuda/gpu_executor.h"
#include "vgpu/cuda/gpu_linalg.h"
#include "vgpu/cuda/gpu_solver.h"
#include "vgpu/quantum/quantum_ops.h"

namespace jarvis::gpu {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One layer of a typical circuit on n qubits: h and rz on every qubit, then
// a cx and a cp chain, lowered as the simulator lowers them.
std::vector<quantum::Op> calibration_layer(unsigned n) {
  using quantum::Gate;
  using quantum::GateKind;
  std::vector<quantum::Op> ops;
  for (uint32_t q = 0; q < n; ++q) {
    ops.push_back(quantum::lower(Gate{GateKind::kH, {q, 0, 0}, 0.0}));
    ops.push_back(quantum::lower(Gate{GateKind::kRz, {q, 0, 0}, 0.3}));
  }
  for (uint32_t q = 0; q + 1 < n; ++q) {
    ops.push_back(quantum::lower(Gate{GateKind::kCx, {q, q + 1, 0}, 0.0}));
    ops.push_back(quantum::lower(Gate{GateKind::kCp, {q, q + 1, 0}, 0.7}));
  }
  return ops;
}

// Gate FLOP/s on a 2^22-amplitude state (2^20 when memory is short).
double measure_quantum(int index, double seconds, size_t free_bytes) {
  const unsigned n = free_bytes > (1ull << 30) ? 22 : 20;
  CudaStateEngine engine(index, n);
  engine.reset(0);
  const std::vector<quantum::Op> layer = calibration_layer(n);
  engine.apply(0, layer);  // warm-up: first launches, allocation
  engine.synchronize();
  const uint64_t flops_before = engine.flops();
  const auto start = Clock::now();
  unsigned layers = 0;
  while (layers < 2 || since(start) < seconds) {
    engine.apply(0, layer);
    engine.synchronize();
    ++layers;
  }
  return static_cast<double>(engine.flops() - flops_before) / since(start);
}

// Host -> device: mean latency of 64-byte copies, bytes/s of 64 MiB copies,
// from pageable memory as run() sends its operands.
DeviceLink measure_link(const std::string& where) {
  DeviceLink link;
  constexpr size_t kBig = 64ull << 20;
  std::vector<char> host(kBig, 1);
  DeviceBuffer dev;
  if (auto err = dev.allocate(kBig, where); !err.empty()) throw std::runtime_error(err);
  check(cudaMemcpy(dev.get(), host.data(), kBig, cudaMemcpyHostToDevice), where);  // warm-up
  constexpr int kSmall = 100;
  auto start = Clock::now();
  for (int i = 0; i < kSmall; ++i)
    check(cudaMemcpy(dev.get(), host.data(), 64, cudaMemcpyHostToDevice), where);
  link.latency_seconds = since(start) / kSmall;
  constexpr int kLarge = 4;
  start = Clock::now();
  for (int i = 0; i < kLarge; ++i)
    check(cudaMemcpy(dev.get(), host.data(), kBig, cudaMemcpyHostToDevice), where);
  link.bytes_per_second = static_cast<double>(kBig) * kLarge / since(start);
  return link;
}

void append(std::string& text, const std::string& more) {
  text += (text.empty() ? "" : "; ") + more;
}

}  // namespace

GpuCalibration calibrate_gpu(int cuda_index, double seconds_per_kind) {
  GpuCalibration cal;
  cal.device.id = device_id(cuda_index);
  cal.device.label = "CUDA device " + std::to_string(cuda_index);
  cal.device.kind = DeviceKind::Gpu;
  try {
    if (cal.error = select_device(cuda_index); !cal.error.empty()) return cal;
    cudaDeviceProp prop{};
    check(cudaGetDeviceProperties(&prop, cuda_index), cal.device.id + ": properties");
    cal.device.label = std::string(prop.name) + " (" + cal.device.id + ")";
    size_t free = 0, total = 0;
    check(cudaMemGetInfo(&free, &total), cal.device.id + ": cudaMemGetInfo");
    cal.link = measure_link(cal.device.id + ": link calibration");

    const double quantum = measure_quantum(cuda_index, seconds_per_kind, free);
    cal.device.throughput[kind_index(OperationKind::Quantum)] = quantum;
    cal.device.capabilities.insert(OperationKind::Quantum);

    GpuBlas blas(cuda_index);
    std::string why;
    const int n = free > (1ull << 30) ? 2048 : 1024;  // 3 operands of 32 MiB (8 MiB)
    const double linalg = blas.measure_dgemm(n, seconds_per_kind, why);
    if (linalg > 0.0) {
      cal.device.throughput[kind_index(OperationKind::Linalg)] = linalg;
      cal.device.capabilities.insert(OperationKind::Linalg);
      cal.device.perf_score = linalg / 1e9;
      if (std::string no_solver; !cusolver_available(&no_solver))
        append(cal.note, "linalg solve runs on the host: " + no_solver);
    } else {
      append(cal.note, "linalg left out: " + why);
    }
    append(cal.note, "hashing and generic are not run on this device by the vgpu layer");
    cal.ok = true;
  } catch (const std::exception& e) {
    cal.ok = false;
    cal.error = e.what();
    cal.device.capabilities.clear();
  }
  return cal;
}

}  // namespace jarvis::gpu
