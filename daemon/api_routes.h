// The JSON API's routes: what GET /1/summary, /1/devices, /1/pools and
// POST /1/pools/switch, /1/pause, /1/resume do. The numbers come from the
// telemetry registry (the same snapshot the console line reads); the
// actions go to the mining session. vgpu routes are added by the vgpu
// service (daemon/vgpu_service.h).
#pragma once

#include <functional>
#include <string>

#include "daemon/http/router.h"
#include "daemon/mining_session.h"
#include "telemetry/registry.h"

namespace synthminer::daemon {

/// What the routes act on; the session and registry outlive the server.
struct ApiContext {
  telemetry::Registry& registry;
  MiningSession& session;
  /// Called after a successful pause or resume (e.g. to update the systemd
  /// status line); may be empty.
  std::function<void()> on_state_change;
};

/// Adds the mining routes to `router`.
void add_mining_routes(http::Router& router, ApiContext& context);

}  // namespace synthminer::daemon
