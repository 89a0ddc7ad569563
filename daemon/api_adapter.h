// SessionApi: the API's narrow interfaces (api/mining_api.h) on top of the
// mining session and its pool client, and the ApiContext the mining routes are given. It only
// forwards; the session stays the owner of every fact. Like the routes, it
// runs on the io thread, the session's own.
#pragma once

#include <functional>

#include "api/mining_api.h"
#include "api/mining_routes.h"
#include "daemon/mining_session.h"
#include "solo/node_status.h"
#include "stratum/client.h"
#include "telemetry/registry.h"

namespace synthminer::daemon {

class SessionApi final : public api::MiningControl,
                         public api::PoolControl,
                         public api::DeviceQuery {
 public:
  /// `registry`, `session` and `client` (the session's source) must
  /// outlive this; `on_state_change` runs after each pause or resume (may
  /// be empty).
  SessionApi(telemetry::Registry& registry, MiningSession& session, stratum::Client& client,
             std::shared_ptr<const solo::NodeStatusBoard> nodes,
             std::function<void()> on_state_change);
  SessionApi(const SessionApi&) = delete;
  SessionApi& operator=(const SessionApi&) = delete;

  /// What add_mining_routes takes; valid while this lives.
  api::ApiContext& context() { return context_; }

  bool paused() const override;
  void pause() override;
  void resume() override;

  const std::vector<size_t>& pool_order() const override;
  std::string pool_name(size_t index) const override;
  size_t current_pool() const override;
  void switch_pool(size_t index) override;
  std::vector<api::NodeState> nodes() const override;

  std::vector<api::DeviceState> device_states() const override;

 private:
  MiningSession& session_;
  stratum::Client& client_;
  std::shared_ptr<const solo::NodeStatusBoard> nodes_;  ///< may be null
  api::ApiContext context_;
};

}  // namespace synthminer::daemon
