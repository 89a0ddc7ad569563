#include "vgpu_service/vgpu_service.h"

#include <variant>

#include <spdlog/spdlog.h>

#include "vgpu/adapter_cluster.h"
#include "vgpu_service/job_routes.h"

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

constexpr const char* kDisabled = "the vgpu layer is off (vgpu.enabled is false in the config)";

}  // namespace

VgpuService::VgpuService(scheduler::Scheduler& scheduler, telemetry::Registry& registry,
                         bool has_task_workers, VgpuServiceOptions options)
    : scheduler_(scheduler),
      registry_(registry),
      has_task_workers_(has_task_workers),
      options_(options),
      jarvis_(options_.enabled
                  ? std::make_unique<jarvis::Jarvis5090X>(
                        std::vector<jarvis::AdapterDevice>{jarvis::AdapterCluster::host_cpu()},
                        options_.jarvis)
                  : nullptr),
      dispatch_(jarvis_ ? std::make_unique<VgpuDispatch>(*jarvis_, scheduler_) : nullptr),
      jobs_(std::make_shared<VgpuJobs>(options_.jobs)) {
  auto family = registry_.add_family({"synthminer_vgpu_refused_total",
                                      "vgpu requests refused, by reason",
                                      telemetry::FamilyKind::kCounter,
                                      {"reason"}});
  if (!family) {
    spdlog::error("vgpu: cannot register synthminer_vgpu_refused_total: {}", family.error());
    return;
  }
  refused_ = *family;
  auto interrupted = registry_.add_family({"synthminer_vgpu_tasks_interrupted_total",
                                           "vgpu tasks stopped while they ran, by reason",
                                           telemetry::FamilyKind::kCounter,
                                           {"reason"}});
  if (interrupted) {
    interrupted_ = *interrupted;
    for (const char* reason : {"cancelled", "deadline_passed", "shutdown", "preempted"})
      registry_.family_add(*interrupted_, {reason}, 0);
  }
  if (jarvis_) {
    report_disk_cache(*jarvis_);
    auto store = std::make_shared<jarvis::TensorStore>(
        jarvis::TensorStoreOptions{options_.tensor_store_max_bytes,
                                   options_.tensor_store_max_tensors, jarvis_->digest_backend()});
    jarvis_->use_tensor_store(store);
    tensor_routes_ = std::make_unique<TensorRoutes>(store, registry_, options_.tensors);
  }
  for (const char* reason : {"not_json", "too_deep", "invalid_payload", "result_too_large",
                             "internal_error", "queue_full"})
    registry_.family_add(*refused_, {reason}, 0);
  if (jarvis_) {
    scheduler_.set_task_max_share(options_.max_share);
    count_busy_time();
  }
}

VgpuService::~VgpuService() {
  scheduler_.set_task_time_observer({});
}

void VgpuService::count_busy_time() {
  auto family = registry_.add_family({"synthminer_vgpu_busy_seconds_total",
                                      "seconds each device spent on vgpu work",
                                      telemetry::FamilyKind::kCounter,
                                      {"device"}});
  if (!family) {
    spdlog::error("vgpu: cannot register synthminer_vgpu_busy_seconds_total: {}", family.error());
    return;
  }
  for (const auto& device : scheduler_.device_statuses())
    registry_.family_add(*family, {device.name}, 0);
  // The registry outlives the scheduler's workers: capture it, not `this`.
  scheduler_.set_task_time_observer(
      [&registry = registry_, id = *family](std::string_view device, double seconds) {
        registry.family_add(id, {std::string(device)}, seconds);
      });
}

void VgpuService::report_disk_cache(jarvis::Jarvis5090X& jarvis) {
  const jarvis::DiskCache* disk = jarvis.disk_cache();
  if (!disk) return;
  const auto stats = disk->stats();
  if (!stats.set_aside.empty())
    spdlog::warn("vgpu: the cache file was unusable and is set aside: {}", stats.set_aside);
  if (!disk->enabled()) {
    spdlog::warn("vgpu: no disk cache: {}", disk->error());
    return;
  }
  spdlog::info("vgpu: disk cache {}: {} results, {} bytes (bound {})", disk->options().path,
               stats.items, stats.bytes, disk->options().max_bytes);
}

void VgpuService::refused(const char* reason) {
  if (refused_) registry_.family_add(*refused_, {reason}, 1);
}

void VgpuService::add_routes(http::Router& router) {
  http::Route submit_route{http::Verb::post, "/1/vgpu/submit",
                           [this](http::Request request, http::Responder reply) {
                             submit(std::move(request), std::move(reply));
                           }};
  submit_route.body_limit_bytes = options_.max_body_bytes;
  submit_route.json_body = false;  // parsed on the worker, not the io thread
  if (!router.add(std::move(submit_route))) spdlog::error("api: /1/vgpu/submit registered twice");
  if (tensor_routes_) tensor_routes_->add_routes(router);
  if (!router.add({http::Verb::get, "/1/vgpu/stats", [this](http::Request, http::Responder reply) {
                     if (!jarvis_) return reply.fail(http::Status::service_unavailable, kDisabled);
                     json stats = jarvis_->benchmark_stats().to_json();
                     stats["queued"] = in_flight_->load();
                     stats["devices"] = jarvis_->cluster().to_json();
                     if (auto* disk = jarvis_->disk_cache())
                       stats["disk_cache"] = disk->stats().to_json();
                     reply.send(std::move(stats));
                   }})) {
    spdlog::error("api: /1/vgpu/stats registered twice");
  }
  add_job_routes(router, *this, jobs_, options_.max_body_bytes);
}

std::optional<http::Response> VgpuService::refuse_new() {
  if (!jarvis_) return http::Response::error(http::Status::service_unavailable, kDisabled);
  if (service_stop_->shutdown.load())
    return http::Response::error(http::Status::service_unavailable, "the daemon is shutting down");
  if (!has_task_workers_) {
    return http::Response::error(http::Status::service_unavailable,
                                 "no CPU worker runs vgpu tasks (devices.cpu.enabled is false)");
  }
  if (in_flight_->load() < options_.max_queued) return std::nullopt;
  refused("queue_full");
  auto full = http::Response::error(http::Status::service_unavailable,
                                    "vgpu queue full (" + std::to_string(options_.max_queued) +
                                        " requests waiting); retry later");
  full.headers.emplace_back("Retry-After", "1");
  return full;
}

void VgpuService::submit(http::Request request, http::Responder reply) {
  auto probed = probe(request.body);
  if (auto* answer = std::get_if<VgpuAnswer>(&probed)) {
    count_answer(*answer);
    return reply.send(vgpu_response(std::move(*answer)));
  }
  if (auto refusal = refuse_new()) return reply.send(std::move(*refusal));
  // A client that hangs up cancels its task: nobody is left to read the answer.
  BeforeRun stop_on_hang_up = [hung_up = reply.hang_up_flag()](const VgpuRequest&) {
    return std::optional<jarvis::StopToken>(jarvis::StopToken(hung_up, std::nullopt));
  };
  // The responder is move-only; the task queue holds std::function, which
  // must be copyable: share it.
  auto shared_reply = std::make_shared<http::Responder>(std::move(reply));
  auto done = [shared_reply](VgpuAnswer answer) {
    shared_reply->send(vgpu_response(std::move(answer)));
  };
  if (auto* parsed = std::get_if<VgpuRequest>(&probed)) {
    auto held = std::make_shared<VgpuRequest>(std::move(*parsed));
    return run([held]() -> std::variant<VgpuRequest, VgpuAnswer> { return std::move(*held); },
               std::move(stop_on_hang_up), std::move(done));
  }
  run_body(std::move(request.body), /*job=*/false, std::move(stop_on_hang_up), std::move(done));
}

std::variant<std::monostate, VgpuAnswer, VgpuRequest> VgpuService::probe(const std::string& body) {
  // Larger bodies are parsed on a worker only: parsing them here would hold
  // up every other request on the io thread.
  if (!jarvis_ || body.size() > kCacheProbeMaxBodyBytes) return std::monostate{};
  try {
    auto parsed = parse_vgpu_submit(body);
    auto* request = std::get_if<VgpuRequest>(&parsed);
    if (!request) return std::move(std::get<VgpuAnswer>(parsed));
    auto hit = jarvis_->lookup(request->kind, request->signature, request->payload,
                               jarvis::ResultForm::kText);
    if (hit) return vgpu_answer(std::move(*hit), request->kind);
    return std::move(*request);
  } catch (const std::exception&) {
    return std::monostate{};  // the worker's path parses it again and reports it
  }
}

void VgpuService::run_body(std::string body, bool job, BeforeRun before_run,
                           std::function<void(VgpuAnswer)> done) {
  auto shared_body = std::make_shared<std::string>(std::move(body));
  run([shared_body,
       job] { return job ? parse_vgpu_job(*shared_body) : parse_vgpu_submit(*shared_body); },
      std::move(before_run), std::move(done));
}

void VgpuService::run(Parse parse, BeforeRun before_run, std::function<void(VgpuAnswer)> done) {
  in_flight_->fetch_add(1);
  auto finish = [this, in_flight = in_flight_, done = std::move(done)](VgpuAnswer answer) {
    count_answer(answer);
    done(std::move(answer));
    in_flight->fetch_sub(1);
  };
  scheduler_.submit_task([this, parse = std::move(parse), before_run = std::move(before_run),
                          finish = std::move(finish), in_flight = in_flight_] {
    // The task's boundary: whatever escapes the layers is a fault of ours.
    try {
      auto parsed = parse();
      if (auto* refused = std::get_if<VgpuAnswer>(&parsed)) return finish(std::move(*refused));
      // Held by the callback: the payload must live until the task has run,
      // maybe on a GPU's worker after this CPU worker has moved on.
      auto held = std::make_shared<VgpuRequest>(std::move(std::get<VgpuRequest>(parsed)));
      std::optional<jarvis::StopToken> stop = jarvis::StopToken();
      if (before_run) stop = before_run(*held);
      if (!stop) {
        in_flight->fetch_sub(1);
        return;
      }
      dispatch(std::move(held), std::move(*stop), std::move(finish));
    } catch (const std::exception& e) {
      finish(vgpu_internal_error("", e.what()));
    }
  });
}

void VgpuService::dispatch(std::shared_ptr<VgpuRequest> held, jarvis::StopToken stop,
                           std::function<void(VgpuAnswer)> finish) {
  const jarvis::StopToken token = stop.also_on(service_stop_);
  dispatch_->submit(
      held->kind, held->signature, held->payload,
      [this, held, stop, finish](jarvis::SubmitResult result) {
        VgpuAnswer answer = vgpu_answer(std::move(result), held->kind);
        if (answer.interrupted != "preempted") return finish(std::move(answer));
        // Its worker is being rebuilt: counted, then queued again from the
        // start for whichever worker comes next (the queue outlives them).
        count_answer(answer);
        scheduler_.submit_task([this, held, stop, finish] {
          try {
            dispatch(held, stop, finish);
          } catch (const std::exception& e) {
            finish(vgpu_internal_error(held->kind, e.what()));
          }
        });
      },
      token);
}

void VgpuService::stop_tasks() {
  service_stop_->shutdown.store(true);
}

void VgpuService::preempt_tasks() {
  service_stop_->epoch.fetch_add(1);
}

void VgpuService::count_answer(const VgpuAnswer& answer) {
  if (!answer.interrupted.empty()) {
    if (interrupted_) registry_.family_add(*interrupted_, {answer.interrupted}, 1);
  } else if (!answer.refusal.empty()) {
    refused(answer.refusal.c_str());
  } else {
    registry_.vgpu_operation(answer.kind);
    registry_.vgpu_cache_lookup(answer.cached);
  }
}

}  // namespace synthminer::vgpu_service
