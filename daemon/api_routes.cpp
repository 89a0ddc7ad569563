#include "daemon/api_routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "telemetry/json.h"

namespace synthminer::daemon {
namespace {

using nlohmann::json;

void add(http::Router& router, http::Route route) {
  const std::string path = route.path;
  if (!router.add(std::move(route))) spdlog::error("api: route {} registered twice", path);
}

// The pool an operator names in /1/pools/switch: {"pool": index} or
// {"pool": "name"}. An error names what was wrong.
std::optional<size_t> pool_from(const json& body, const stratum::Client& client,
                                std::string& error) {
  if (!body.is_object() || !body.contains("pool")) {
    error = "body: expected {\"pool\": <index or name>}";
    return std::nullopt;
  }
  const json& pool = body.at("pool");
  if (pool.is_number_unsigned()) {
    const auto index = pool.get<uint64_t>();
    const auto& order = client.pool_order();
    if (std::find(order.begin(), order.end(), index) != order.end())
      return static_cast<size_t>(index);
    error = "pool: no configured pool with index " + std::to_string(index);
    return std::nullopt;
  }
  if (pool.is_string()) {
    for (const size_t i : client.pool_order())
      if (client.pool_name(i) == pool.get<std::string>()) return i;
    error = "pool: no pool named \"" + pool.get<std::string>() + "\"";
    return std::nullopt;
  }
  error = "pool: expected an index (unsigned integer) or a name (string)";
  return std::nullopt;
}

}  // namespace

void add_mining_routes(http::Router& router, ApiContext& context) {
  add(router, {http::Verb::get, "/1/summary", [&context](http::Request, http::Responder reply) {
                 json body = telemetry::summary_json(context.registry.summary());
                 body["paused"] = context.session.paused();
                 reply.send(std::move(body));
               }});
  add(router, {http::Verb::get, "/1/devices", [&context](http::Request, http::Responder reply) {
                 json body = telemetry::devices_json(context.registry.devices());
                 // The scheduler's view beside the measured numbers.
                 for (const auto& status : context.session.scheduler().device_statuses()) {
                   for (json& device : body["devices"]) {
                     if (device.value("name", "") != status.name) continue;
                     device["estimated_rate_hashes_per_second"] = status.rate;
                     device["stalls"] = status.stalls;
                     device["state"] = scheduler::to_string(status.health.state);
                     if (!status.health.reason.empty())
                       device["state_reason"] = status.health.reason;
                   }
                 }
                 reply.send(std::move(body));
               }});
  add(router, {http::Verb::get, "/1/pools", [&context](http::Request, http::Responder reply) {
                 json body = telemetry::pools_json(context.registry.pools());
                 const auto& client = context.session.client();
                 body["active"] = client.pool_name(client.current_pool());
                 reply.send(std::move(body));
               }});
  add(router, {http::Verb::post, "/1/pools/switch",
               [&context](http::Request request, http::Responder reply) {
                 std::string error;
                 auto& client = context.session.client();
                 const auto pool = pool_from(request.json, client, error);
                 if (!pool) return reply.fail(http::Status::bad_request, error);
                 client.switch_pool(*pool);
                 spdlog::info("api: switching to pool {} ({})", *pool, client.pool_name(*pool));
                 reply.send(json{{"switching_to", client.pool_name(*pool)}, {"index", *pool}});
               }});
  add(router, {http::Verb::post, "/1/pause", [&context](http::Request, http::Responder reply) {
                 const bool was = context.session.paused();
                 context.session.pause();
                 if (!was) spdlog::info("api: mining paused (the pool connection stays up)");
                 if (context.on_state_change) context.on_state_change();
                 reply.send(json{{"paused", true}, {"changed", !was}});
               }});
  add(router, {http::Verb::post, "/1/resume", [&context](http::Request, http::Responder reply) {
                 const bool was = context.session.paused();
                 context.session.resume();
                 if (was) spdlog::info("api: mining resumed");
                 if (context.on_state_change) context.on_state_change();
                 reply.send(json{{"paused", false}, {"changed", was}});
               }});
}

}  // namespace synthminer::daemon
