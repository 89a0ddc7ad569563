#include "tools/jarvis-bench/bench_gpus.h"

#include <cstdio>
#include <memory>

#if defined(JARVIS_BENCH_CUDA)
#include "vgpu/cuda/gpu_executor.h"
#endif

namespace jarvis::bench {

std::vector<std::string> add_gpus(Jarvis5090X& jarvis, double calibration_seconds) {
  std::vector<std::string> lines;
#if defined(JARVIS_BENCH_CUDA)
  std::string why;
  const int count = gpu::cuda_device_count(&why);
  if (count == 0) lines.push_back("cuda: none (" + why + ")");
  for (int i = 0; i < count; ++i) {
    gpu::GpuCalibration c = gpu::calibrate_gpu(i, calibration_seconds);
    if (!c.ok) {
      lines.push_back("cuda " + std::to_string(i) + ": not used: " + c.error);
      continue;
    }
    char rates[160];
    std::snprintf(rates, sizeof rates, "quantum %.1f GFLOP/s, linalg %.1f GFLOP/s (measured)",
                  c.device.throughput[kind_index(OperationKind::Quantum)] / 1e9,
                  c.device.throughput[kind_index(OperationKind::Linalg)] / 1e9);
    lines.push_back(c.device.id + " (" + c.device.label + "): " + rates +
                    (c.note.empty() ? "" : "; " + c.note));
    auto executor =
        std::make_shared<gpu::GpuExecutor>(i, jarvis.quantum().options(), jarvis.limits());
    const std::string id = c.device.id;
    jarvis.cluster().add_device(std::move(c.device), c.link);
    jarvis.set_executor(id, [executor](OperationKind kind, const nlohmann::json& payload,
                                       TensorStore* tensors, const StopToken& stop) {
      return executor->run(kind, payload, tensors, stop);
    });
  }
#else
  (void)jarvis;
  (void)calibration_seconds;
  lines.push_back("cuda: not built (vgpu/cuda needs nvcc at configure time)");
#endif
  return lines;
}

}  // namespace jarvis::bench
