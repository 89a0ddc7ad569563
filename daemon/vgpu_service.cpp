#include "daemon/vgpu_service.h"

#include <spdlog/spdlog.h>

#include "common/json_depth.h"
#include "vgpu/adapter_cluster.h"

namespace synthminer::daemon {
namespace {

using nlohmann::json;

// {"kind": "...", "signature": "...", "payload": {...}}: the request, or
// an error naming the field.
constexpr const char* kDisabled = "the vgpu layer is off (vgpu.enabled is false in the config)";

struct SubmitRequest {
  std::string kind;
  std::string signature;
  json payload;
};

std::optional<SubmitRequest> parse_submit(const std::string& body, std::string& error) {
  if (!common::json_depth_within(body)) {
    error = "body: " + common::json_too_deep_error();
    return std::nullopt;
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    error = "body: not valid JSON";
    return std::nullopt;
  }
  if (!doc.is_object()) {
    error = "body: expected an object {\"kind\", \"signature\", \"payload\"}";
    return std::nullopt;
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "kind" && key != "signature" && key != "payload") {
      error = key + ": unknown field (expected kind, signature, payload)";
      return std::nullopt;
    }
  }
  if (!doc.contains("kind") || !doc["kind"].is_string()) {
    error = "kind: required, a string (linalg, hashing, quantum or generic)";
    return std::nullopt;
  }
  if (doc.contains("signature") && !doc["signature"].is_string()) {
    error = "signature: must be a string";
    return std::nullopt;
  }
  if (!doc.contains("payload") || !doc["payload"].is_object()) {
    error = "payload: required, an object";
    return std::nullopt;
  }
  return SubmitRequest{doc["kind"].get<std::string>(), doc.value("signature", ""),
                       std::move(doc["payload"])};
}

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
                  : nullptr) {}

void VgpuService::add_routes(http::Router& router) {
  http::Route submit_route{http::Verb::post, "/1/vgpu/submit",
                           [this](http::Request request, http::Responder reply) {
                             submit(std::move(request), std::move(reply));
                           }};
  submit_route.body_limit_bytes = options_.max_body_bytes;
  submit_route.json_body = false;  // parsed on the worker, not the io thread
  if (!router.add(std::move(submit_route))) spdlog::error("api: /1/vgpu/submit registered twice");
  if (!router.add({http::Verb::get, "/1/vgpu/stats", [this](http::Request, http::Responder reply) {
                     if (!jarvis_) return reply.fail(http::Status::service_unavailable, kDisabled);
                     json stats = jarvis_->benchmark_stats().to_json();
                     stats["queued"] = in_flight_->load();
                     stats["devices"] = jarvis_->cluster().to_json();
                     reply.send(std::move(stats));
                   }})) {
    spdlog::error("api: /1/vgpu/stats registered twice");
  }
}

void VgpuService::submit(http::Request request, http::Responder reply) {
  if (!jarvis_) return reply.fail(http::Status::service_unavailable, kDisabled);
  if (!has_task_workers_) {
    return reply.fail(http::Status::service_unavailable,
                      "no CPU worker runs vgpu tasks (devices.cpu.enabled is false)");
  }
  if (in_flight_->load() >= options_.max_queued) {
    return reply.fail(http::Status::service_unavailable, "vgpu queue full (" +
                                                             std::to_string(options_.max_queued) +
                                                             " requests waiting); retry later");
  }
  in_flight_->fetch_add(1);
  // The responder is move-only; the task queue holds std::function, which
  // must be copyable: share it.
  auto shared_reply = std::make_shared<http::Responder>(std::move(reply));
  scheduler_.submit_task(
      [this, in_flight = in_flight_, body = std::move(request.body), shared_reply] {
        std::string error;
        const auto parsed = parse_submit(body, error);
        if (!parsed) {
          shared_reply->fail(http::Status::bad_request, error);
        } else {
          const jarvis::SubmitResult result =
              jarvis_->submit(parsed->kind, parsed->signature, parsed->payload);
          if (result.ok) {
            registry_.vgpu_operation(parsed->kind);
            registry_.vgpu_cache_lookup(result.cached);
          }
          shared_reply->send(result.to_json(),
                             result.ok ? http::Status::ok : http::Status::bad_request);
        }
        in_flight->fetch_sub(1);
      });
}

}  // namespace synthminer::daemon
