#include "vgpu/cuda/cuda_vgpu_device.h"

#include <memory>
#include <utility>

#include "vgpu/cuda/gpu_executor.h"

namespace jarvis::gpu {

CudaVgpuDevice make_cuda_vgpu_device(int cuda_index, const JarvisConfig& config,
                                     double calibration_seconds) {
  CudaVgpuDevice d;
  GpuCalibration calibration = calibrate_gpu(cuda_index, calibration_seconds);
  if (!calibration.ok) {
    d.error = std::move(calibration.error);
    return d;
  }
  auto executor = std::make_shared<GpuExecutor>(cuda_index, config.quantum, config.limits);
  d.ok = true;
  d.note = std::move(calibration.note);
  if (calibration.device.can_run(OperationKind::Linalg)) {
    if (std::string why = executor->check_tensor_copies(); !why.empty())
      d.note += (d.note.empty() ? "" : "; ") + why;
  }
  d.device = std::move(calibration.device);
  d.link = calibration.link;
  d.run = [executor](OperationKind kind, const nlohmann::json& payload, TensorStore* tensors,
                     const StopToken& stop) { return executor->run(kind, payload, tensors, stop); };
  return d;
}

}  // namespace jarvis::gpu
