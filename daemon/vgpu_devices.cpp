#include "daemon/vgpu_devices.h"

#include <memory>
#include <utility>

#if defined(SYNTHMINER_HAVE_VGPU_CUDA)
#include "vgpu/cuda/gpu_executor.h"
#endif

namespace synthminer::daemon {

std::vector<std::string> attach_vgpu_devices(jarvis::Jarvis5090X& jarvis,
                                             scheduler::Scheduler& scheduler,
                                             std::vector<VgpuDevice> devices) {
  std::vector<std::string> added;
  for (VgpuDevice& d : devices) {
    const std::string id = d.device.id;
    if (jarvis.cluster().add_device(d.device, d.link) == static_cast<size_t>(-1)) continue;
    jarvis.set_executor(id, [&scheduler, worker = std::move(d.worker), run = std::move(d.run)](
                                jarvis::OperationKind kind, const nlohmann::json& payload) {
      jarvis::OpResult result;
      scheduler.run_on_device(worker, [&] { result = run(kind, payload); });
      return result;
    });
    added.push_back(id);
  }
  return added;
}

std::vector<VgpuDevice> cuda_vgpu_devices(const DeviceSetup& mining,
                                          const jarvis::JarvisConfig& config,
                                          double calibration_seconds,
                                          std::vector<std::string>& notes) {
  std::vector<VgpuDevice> devices;
#if defined(SYNTHMINER_HAVE_VGPU_CUDA)
  for (const MiningDevice& m : mining.devices) {
    if (!m.cuda_index) continue;
    const std::string name = "cuda " + std::to_string(*m.cuda_index);
    jarvis::gpu::GpuCalibration calibration =
        jarvis::gpu::calibrate_gpu(*m.cuda_index, calibration_seconds);
    if (!calibration.ok) {
      notes.push_back("vgpu: " + name + " not used: " + calibration.error);
      continue;
    }
    if (!calibration.note.empty()) notes.push_back("vgpu: " + name + ": " + calibration.note);
    auto executor =
        std::make_shared<jarvis::gpu::GpuExecutor>(*m.cuda_index, config.quantum, config.limits);
    VgpuDevice d;
    d.device = std::move(calibration.device);
    d.link = calibration.link;
    d.worker = m.worker;
    d.run = [executor](jarvis::OperationKind kind, const nlohmann::json& payload) {
      return executor->run(kind, payload);
    };
    devices.push_back(std::move(d));
  }
#else
  (void)mining;
  (void)config;
  (void)calibration_seconds;
  (void)notes;
#endif
  return devices;
}

}  // namespace synthminer::daemon
