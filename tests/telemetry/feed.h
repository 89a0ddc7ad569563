// Feeds a registry one event of every kind, so that every family and label
// the dashboard may query has a series.
#pragma once

#include "telemetry/registry.h"
#include "tests/telemetry/fake_owners.h"

namespace synthminer::telemetry::test {

/// Returns the stand-in owners the registry now reads (feed more shares there).
inline std::shared_ptr<FakeOwners> feed_one_of_everything(Registry& registry) {
  auto owners = FakeOwners::attached_to(registry);
  registry.set_build_info("0.1.0-test", "0123456789ab");
  registry.batch_finished("cpu0", {.hashes = 1'000'000, .seconds = 0.5, .nonces = 1 << 20});
  owners->candidates("cpu0", 2);
  owners->hardware_error("cpu0");
  registry.pool_connection("main", true);
  registry.pool_difficulty("main", 1024);
  registry.pool_disconnected("main", "connect_timed_out_after_ms");
  owners->share_result("main", ShareOutcome::kAccepted, 1024);
  owners->share_result("main", ShareOutcome::kRejected, 1024, "Duplicate share");
  owners->share_result("main", ShareOutcome::kStale, 1024, "job cleaned");
  owners->share_submit_rtt("main", 0.042);
  registry.job_switch(0.003);
  registry.config_reload(ReloadOutcome::kSuccess);
  registry.config_reload(ReloadOutcome::kFailure);
  registry.vgpu_operation("matmul");
  registry.vgpu_cache_lookup(true);
  registry.vgpu_cache_lookup(false);
  return owners;
}

}  // namespace synthminer::telemetry::test
