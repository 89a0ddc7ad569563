#include "daemon/api_adapter.h"

#include <utility>

namespace synthminer::daemon {

SessionApi::SessionApi(telemetry::Registry& registry, MiningSession& session,
                       stratum::Client& client, std::shared_ptr<const solo::NodeStatusBoard> nodes,
                       std::function<void()> on_state_change)
    : session_(session),
      client_(client),
      nodes_(std::move(nodes)),
      context_{registry, *this, *this, *this, std::move(on_state_change)} {}

bool SessionApi::paused() const {
  return session_.paused();
}

void SessionApi::pause() {
  session_.pause();
}

void SessionApi::resume() {
  session_.resume();
}

const std::vector<size_t>& SessionApi::pool_order() const {
  return client_.pool_order();
}

std::string SessionApi::pool_name(size_t index) const {
  return client_.pool_name(index);
}

size_t SessionApi::current_pool() const {
  return client_.current_pool();
}

std::vector<api::NodeState> SessionApi::nodes() const {
  std::vector<api::NodeState> out;
  if (!nodes_) return out;
  const auto now = std::chrono::steady_clock::now();
  for (const solo::NodeSnapshot& n : nodes_->snapshot()) {
    out.push_back(api::NodeState{n.pool_name, n.chain, n.template_height,
                                 n.template_age_seconds(now), n.blocks_submitted, n.blocks_accepted,
                                 n.blocks_rejected});
  }
  return out;
}

// The route checked `index` against pool_order() first, so the client's
// "no such pool" (false) cannot come back here.
void SessionApi::switch_pool(size_t index) {
  client_.switch_pool(index);
}

std::vector<api::DeviceState> SessionApi::device_states() const {
  std::vector<api::DeviceState> states;
  for (const auto& status : session_.scheduler().device_statuses()) {
    states.push_back({status.name, status.rate, status.stalls,
                      scheduler::to_string(status.health.state), status.health.reason});
  }
  return states;
}

}  // namespace synthminer::daemon
