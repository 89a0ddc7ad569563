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
// requests refused by reason, and each device's seconds of vgpu work). A
// result over the size limit is refused with 413 before any work
// (vgpu/payload/result_limit.h); vgpu_request.h lists the other codes.
// A submit whose client hangs up is cancelled (Responder::hang_up_flag).
// POST /1/vgpu/jobs runs the same pipeline as a job (job_routes.h). The
// scheduler keeps vgpu work under max_share of each worker's busy time.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "http/router.h"
#include "scheduler/scheduler.h"
#include "telemetry/registry.h"
#include "vgpu/jarvis.h"
#include "vgpu_service/tensor_routes.h"
#include "vgpu_service/vgpu_devices.h"
#include "vgpu_service/vgpu_jobs.h"
#include "vgpu_service/vgpu_request.h"

namespace synthminer::vgpu_service {

struct VgpuServiceOptions {
  bool enabled = true;                      ///< false: both routes answer 503 with the reason
  size_t max_body_bytes = 8 * 1024 * 1024;  ///< larger requests get 413
  size_t max_queued = 64;                   ///< requests waiting for a worker
  /// The most of each device's recent busy time vgpu work may take (0, 1].
  double max_share = 0.25;
  VgpuJobsOptions jobs;         ///< how long and how many finished jobs are kept
  jarvis::JarvisConfig jarvis;  ///< the layers' sizes and limits
  uint64_t tensor_store_max_bytes = uint64_t{1} << 30;  ///< tensor data held (tensor_routes.h)
  uint64_t tensor_store_max_tensors = 65536;            ///< tensors held
  TensorRouteOptions tensors;                           ///< upload limits
};

class VgpuService {
 public:
  /// `scheduler` runs the tasks (it must have a worker that takes tasks:
  /// `has_task_workers`); scheduler and registry outlive the service.
  VgpuService(scheduler::Scheduler& scheduler, telemetry::Registry& registry, bool has_task_workers,
              VgpuServiceOptions options = {});

  ~VgpuService();

  /// Adds POST /1/vgpu/submit (token required), GET /1/vgpu/stats, the job
  /// routes (job_routes.h) and, when enabled, the tensor routes (tensor_routes.h).
  void add_routes(http::Router& router);

  /// Why no request can be queued now (503: the layer is off, no worker takes
  /// tasks, the queue is full); nullopt when one can.
  std::optional<http::Response> refuse_new();
  /// Whether to run a parsed request (nullopt: not), and the stop token it
  /// runs under (a job's cancel flag and deadline).
  using BeforeRun = std::function<std::optional<jarvis::StopToken>(const VgpuRequest&)>;
  /// Queues `body` for a worker, which parses it (a job body when `job`),
  /// asks `before_run` (when set) whether to run it, runs it and hands the
  /// answer, counted, to `done`: exactly once, unless `before_run` said no.
  /// Call refuse_new() first. `done` must not throw; any thread may call it.
  void run_body(std::string body, bool job, BeforeRun before_run,
                std::function<void(VgpuAnswer)> done);
  /// Makes `devices` (e.g. the GPUs) routable beside the host CPU; their
  /// tasks run on their own mining workers. Returns the ids added.
  std::vector<std::string> add_devices(std::vector<VgpuDevice> devices) {
    if (!dispatch_) return {};
    return dispatch_->attach(std::move(devices));
  }
  bool enabled() const { return jarvis_ != nullptr; }
  /// The daemon is stopping: every running task stops at its next check
  /// (its answer: 503, counted as interrupted by "shutdown") and new ones
  /// are refused with 503. Any thread; cannot be undone.
  void stop_tasks();
  /// The workers are about to be rebuilt (a reload): every running task
  /// stops at its next check and is queued again, to run from the start on
  /// the next worker that takes tasks, so the rebuild does not wait for it.
  /// Any thread.
  void preempt_tasks();
  /// The layers; only when enabled().
  jarvis::Jarvis5090X& jarvis() { return *jarvis_; }

 private:
  void submit(http::Request request, http::Responder reply);
  /// A submit body of at most kCacheProbeMaxBodyBytes is parsed here on the
  /// io thread: its answer when that is known at once (a memory-cache hit, or
  /// the refusal of a bad body: no worker, no wait for a mining batch), else
  /// the parsed request, which a worker runs without parsing it again.
  /// Monostate for a larger body, which is parsed on a worker only.
  std::variant<std::monostate, VgpuAnswer, VgpuRequest> probe(const std::string& body);
  static constexpr size_t kCacheProbeMaxBodyBytes = 64 * 1024;
  using Parse = std::function<std::variant<VgpuRequest, VgpuAnswer>()>;
  /// run_body's path, with the parsing to do on the worker given as `parse`.
  void run(Parse parse, BeforeRun before_run, std::function<void(VgpuAnswer)> done);
  /// Routes and runs `held` under `stop` (plus the service's own stop);
  /// `finish` gets the answer, unless a preemption queues it again.
  void dispatch(std::shared_ptr<VgpuRequest> held, jarvis::StopToken stop,
                std::function<void(VgpuAnswer)> finish);
  /// Counts `answer`; on whichever thread the request finished.
  void count_answer(const VgpuAnswer& answer);
  /// synthminer_vgpu_busy_seconds_total{device}, fed by the workers.
  void count_busy_time();
  /// Logs the disk tier's state at start: a file set aside, off and why, or its size.
  static void report_disk_cache(jarvis::Jarvis5090X& jarvis);
  /// Counts one refused request by reason (VgpuAnswer::refusal, "queue_full").
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
  /// synthminer_vgpu_tasks_interrupted_total{reason}.
  std::optional<telemetry::FamilyId> interrupted_;
  /// Raised by stop_tasks(), bumped by preempt_tasks(); every task's stop token reads it.
  std::shared_ptr<jarvis::ServiceStop> service_stop_ = std::make_shared<jarvis::ServiceStop>();
  /// Tasks queued and not yet finished; shared with the tasks themselves.
  std::shared_ptr<std::atomic<size_t>> in_flight_ = std::make_shared<std::atomic<size_t>>(0);
  /// The jobs of /1/vgpu/jobs; shared with the routes and the tasks.
  std::shared_ptr<VgpuJobs> jobs_;
};

}  // namespace synthminer::vgpu_service
