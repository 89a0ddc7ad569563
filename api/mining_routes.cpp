#include "api/mining_routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "telemetry/json.h"

namespace synthminer::api {
namespace {

using nlohmann::json;

void add(http::Router& router, http::Route route) {
  const std::string path = route.path;
  if (!router.add(std::move(route))) spdlog::error("api: route {} registered twice", path);
}

// The pool an operator names in /1/pools/switch: {"pool": index} or
// {"pool": "name"}. An error names what was wrong.
std::optional<size_t> pool_from(const json& body, const PoolControl& pools, std::string& error) {
  if (!body.is_object() || !body.contains("pool")) {
    error = "body: expected {\"pool\": <index or name>}";
    return std::nullopt;
  }
  const json& pool = body.at("pool");
  if (pool.is_number_unsigned()) {
    const auto index = pool.get<uint64_t>();
    const auto& order = pools.pool_order();
    if (std::find(order.begin(), order.end(), index) != order.end())
      return static_cast<size_t>(index);
    error = "pool: no configured pool with index " + std::to_string(index);
    return std::nullopt;
  }
  if (pool.is_string()) {
    for (const size_t i : pools.pool_order())
      if (pools.pool_name(i) == pool.get<std::string>()) return i;
    error = "pool: no pool named \"" + pool.get<std::string>() + "\"";
    return std::nullopt;
  }
  error = "pool: expected an index (unsigned integer) or a name (string)";
  return std::nullopt;
}

json nodes_json(const std::vector<NodeState>& nodes) {
  json out = json::array();
  for (const NodeState& n : nodes) {
    json rejected = json::object();
    for (const auto& [reason, count] : n.blocks_rejected) rejected[reason] = count;
    out.push_back({{"pool", n.pool},
                   {"chain", n.chain},
                   {"height", n.height},
                   {"template_age_seconds",
                    n.template_age_seconds ? json(*n.template_age_seconds) : json(nullptr)},
                   {"blocks_submitted", n.blocks_submitted},
                   {"blocks_accepted", n.blocks_accepted},
                   {"blocks_rejected", std::move(rejected)}});
  }
  return out;
}

}  // namespace

void add_mining_routes(http::Router& router, ApiContext& context) {
  add(router, {http::Verb::get, "/1/summary", [&context](http::Request, http::Responder reply) {
                 json body = telemetry::summary_json(context.registry.summary());
                 body["paused"] = context.mining.paused();
                 reply.send(std::move(body));
               }});
  add(router, {http::Verb::get, "/1/devices", [&context](http::Request, http::Responder reply) {
                 json body = telemetry::devices_json(context.registry.devices());
                 // The scheduler's view beside the measured numbers.
                 for (const auto& status : context.devices.device_states()) {
                   for (json& device : body["devices"]) {
                     if (device.value("name", "") != status.name) continue;
                     device["estimated_rate_hashes_per_second"] = status.rate;
                     device["stalls"] = status.stalls;
                     device["state"] = status.state;
                     if (!status.reason.empty()) device["state_reason"] = status.reason;
                   }
                 }
                 reply.send(std::move(body));
               }});
  add(router, {http::Verb::get, "/1/pools", [&context](http::Request, http::Responder reply) {
                 json body = telemetry::pools_json(context.registry.pools());
                 const PoolControl& pools = context.pools;
                 body["active"] = pools.pool_name(pools.current_pool());
                 body["nodes"] = nodes_json(pools.nodes());
                 reply.send(std::move(body));
               }});
  add(router, {http::Verb::post, "/1/pools/switch",
               [&context](http::Request request, http::Responder reply) {
                 std::string error;
                 PoolControl& pools = context.pools;
                 const auto pool = pool_from(request.json, pools, error);
                 if (!pool) return reply.fail(http::Status::bad_request, error);
                 pools.switch_pool(*pool);
                 spdlog::info("api: switching to pool {} ({})", *pool, pools.pool_name(*pool));
                 reply.send(json{{"switching_to", pools.pool_name(*pool)}, {"index", *pool}});
               }});
  add(router, {http::Verb::post, "/1/pause", [&context](http::Request, http::Responder reply) {
                 const bool was = context.mining.paused();
                 context.mining.pause();
                 if (!was) spdlog::info("api: mining paused (the pool connection stays up)");
                 if (context.on_state_change) context.on_state_change();
                 reply.send(json{{"paused", true}, {"changed", !was}});
               }});
  add(router, {http::Verb::post, "/1/resume", [&context](http::Request, http::Responder reply) {
                 const bool was = context.mining.paused();
                 context.mining.resume();
                 if (was) spdlog::info("api: mining resumed");
                 if (context.on_state_change) context.on_state_change();
                 reply.send(json{{"paused", false}, {"changed", was}});
               }});
}

}  // namespace synthminer::api
