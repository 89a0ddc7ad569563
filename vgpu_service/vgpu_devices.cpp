#include "vgpu_service/vgpu_devices.h"

#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "vgpu/cuda/cuda_vgpu_device.h"

namespace synthminer::vgpu_service {

std::vector<std::string> VgpuDispatch::attach(std::vector<VgpuDevice> devices) {
  std::vector<std::string> added;
  for (VgpuDevice& d : devices) {
    const std::string id = d.device.id;
    if (jarvis_.cluster().add_device(d.device, d.link) == static_cast<size_t>(-1)) continue;
    {
      std::lock_guard lock(mutex_);
      workers_[id] = std::move(d.worker);
    }
    jarvis_.set_executor(id, std::move(d.run));
    added.push_back(id);
  }
  return added;
}

void VgpuDispatch::submit(std::string_view kind, std::string_view signature,
                          const nlohmann::json& payload, Done done, jarvis::StopToken stop) {
  auto routed = jarvis_.route(kind, signature, payload, jarvis::ResultForm::kText);
  if (auto* answered = std::get_if<jarvis::SubmitResult>(&routed)) {
    done(std::move(*answered));
    return;
  }
  auto& task = std::get<jarvis::RoutedTask>(routed);
  task.stop = std::move(stop);
  std::optional<std::string> worker;
  {
    std::lock_guard lock(mutex_);
    if (auto it = workers_.find(task.device_id()); it != workers_.end()) worker = it->second;
  }
  if (!worker) {
    done(jarvis_.run(task));
    return;
  }
  // The task queue holds std::function, which must be copyable: share the
  // task and the callback.
  auto shared =
      std::make_shared<std::pair<jarvis::RoutedTask, Done>>(std::move(task), std::move(done));
  scheduler_.submit_task_to(*worker,
                            [this, shared] { shared->second(jarvis_.run(shared->first)); });
}

std::vector<VgpuDevice> cuda_vgpu_devices(const devices::DeviceSetup& mining,
                                          const jarvis::JarvisConfig& config,
                                          double calibration_seconds,
                                          std::vector<std::string>& notes) {
  std::vector<VgpuDevice> devices;
  for (const devices::MiningDevice& m : mining.devices) {
    if (!m.cuda_index) continue;
    const std::string name = "cuda " + std::to_string(*m.cuda_index);
    jarvis::gpu::CudaVgpuDevice gpu =
        jarvis::gpu::make_cuda_vgpu_device(*m.cuda_index, config, calibration_seconds);
    if (!gpu.ok) {
      notes.push_back("vgpu: " + name + " not used: " + gpu.error);
      continue;
    }
    if (!gpu.note.empty()) notes.push_back("vgpu: " + name + ": " + gpu.note);
    VgpuDevice d;
    d.device = std::move(gpu.device);
    d.link = gpu.link;
    d.worker = m.worker;
    d.run = std::move(gpu.run);
    devices.push_back(std::move(d));
  }
  return devices;
}

}  // namespace synthminer::vgpu_service
