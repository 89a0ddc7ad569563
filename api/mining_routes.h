// The JSON API's routes: what GET /1/summary, /1/devices, /1/pools and
// POST /1/pools/switch, /1/pause, /1/resume do. The numbers come from the
// telemetry registry (the same snapshot the console line reads); the
// actions go to the miner through the narrow interfaces of
// api/mining_api.h. vgpu routes are added by the vgpu service
// (vgpu_service/vgpu_service.h).
#pragma once

#include <functional>
#include <string>

#include "api/mining_api.h"
#include "http/router.h"
#include "telemetry/registry.h"

namespace synthminer::api {

/// What the routes act on; all of it outlives the server.
struct ApiContext {
  telemetry::Registry& registry;
  MiningControl& mining;
  PoolControl& pools;
  DeviceQuery& devices;
  /// Called after a successful pause or resume (e.g. to update the systemd
  /// status line); may be empty.
  std::function<void()> on_state_change;
};

/// Adds the mining routes to `router`.
void add_mining_routes(http::Router& router, ApiContext& context);

}  // namespace synthminer::api
