// VgpuService: the Jarvis layers in the daemon. POST /1/vgpu/submit runs a
// workload on the mining workers, ahead of their next mining batch (mining
// fills the idle time); GET /1/vgpu/stats answers benchmark_stats().
//
// Design: the route handler runs on the io thread and only queues: the
// body is parsed, checked and computed on a worker thread (a worker takes
// one task before each batch), which answers through the responder. The
// queue is bounded: past it a request gets 503 at once. Work the cluster
// routes to a GPU is queued on that GPU's worker, which answers it; the CPU
// worker that routed it moves on (VgpuDispatch, vgpu_devices.h). Counts go
// to the telemetry registry (vgpu operations by kind, cache hits and misses,
// and requests refused by reason). A result over the size limit is refused
// with 413 before any work (vgpu/payload/result_limit.h), a bad request with
// 400.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>

#include "http/router.h"
#include "scheduler/scheduler.h"
#include "telemetry/registry.h"
#include "vgpu/jarvis.h"
#include "vgpu_service/tensor_routes.h"
#include "vgpu_service/vgpu_devices.h"
#include "vgpu_service/vgpu_request.h"

namespace synthminer::vgpu_service {

struct VgpuServiceOptions {
  bool enabled = true;                      ///< false: both routes answer 503 with the reason
  size_t max_body_bytes = 8 * 1024 * 1024;  ///< larger requests get 413
  size_t max_queued = 64;                   ///< requests waiting for a worker
  jarvis::JarvisConfig jarvis;              ///< the layers' sizes and limits
  uint64_t tensor_store_max_bytes = uint64_t{1} << 30;  ///< tensor data held (tensor_routes.h)
  TensorRouteOptions tensors;                           ///< upload limits
};

class VgpuService {
 public:
  /// `scheduler` runs the tasks (it must have a worker that takes tasks:
  /// `has_task_workers`); scheduler and registry outlive the service.
  VgpuService(scheduler::Scheduler& scheduler, telemetry::Registry& registry, bool has_task_workers,
              VgpuServiceOptions options = {});

  /// Adds POST /1/vgpu/submit (token required), GET /1/vgpu/stats and,
  /// when enabled, the tensor routes (tensor_routes.h).
  void add_routes(http::Router& router);
  /// Makes `devices` (e.g. the GPUs) routable beside the host CPU; their
  /// tasks run on their own mining workers. Returns the ids added.
  std::vector<std::string> add_devices(std::vector<VgpuDevice> devices) {
    if (!dispatch_) return {};
    return dispatch_->attach(std::move(devices));
  }
  bool enabled() const { return jarvis_ != nullptr; }
  /// The layers; only when enabled().
  jarvis::Jarvis5090X& jarvis() { return *jarvis_; }

 private:
  void submit(http::Request request, http::Responder reply);
  /// Counts and sends `answer`; on whichever thread the request finished.
  void send_answer(VgpuAnswer answer, http::Responder& reply);
  /// Logs the disk tier's state at start: a file set aside, off and why, or its size.
  static void report_disk_cache(jarvis::Jarvis5090X& jarvis);
  /// Counts one refused request: "result_too_large", "bad_request", "queue_full".
  void refused(const char* reason);

  scheduler::Scheduler& scheduler_;
  telemetry::Registry& registry_;
  bool has_task_workers_;
  VgpuServiceOptions options_;
  std::unique_ptr<jarvis::Jarvis5090X> jarvis_;
  std::unique_ptr<VgpuDispatch> dispatch_;       ///< when enabled: where each task runs
  std::unique_ptr<TensorRoutes> tensor_routes_;  ///< when enabled: /1/vgpu/tensors
  /// synthminer_vgpu_refused_total{reason}; none when the registry refused it.
  std::optional<telemetry::FamilyId> refused_;
  /// Tasks queued and not yet finished; shared with the tasks themselves.
  std::shared_ptr<std::atomic<size_t>> in_flight_ = std::make_shared<std::atomic<size_t>>(0);
};

}  // namespace synthminer::vgpu_service
