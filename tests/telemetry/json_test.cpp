#include "telemetry/json.h"

#include <gtest/gtest.h>

#include "telemetry/registry.h"
#include "telemetry/status_line.h"
#include "tests/telemetry/fake_clock.h"
#include "tests/telemetry/fake_owners.h"

namespace synthminer::telemetry {
namespace {

using test::ShareOutcome;

TEST(Json, SummaryDevicesPoolsFromOneRegistry) {
  test::FakeClock clock;
  Registry registry(clock.fn());
  auto owners = test::FakeOwners::attached_to(registry);
  registry.set_build_info("0.1.0", "deadbeef");
  for (int i = 0; i < 10; ++i) {
    clock.advance(1);
    registry.batch_finished("cpu0", {.hashes = 500, .seconds = 1, .nonces = 512});
  }
  registry.pool_connection("main", true);
  owners->share_result("main", ShareOutcome::kAccepted, 16);
  owners->share_result("main", ShareOutcome::kRejected, 16, "Stale job");
  owners->share_submit_rtt("main", 0.04);

  const nlohmann::json summary = summary_json(registry.summary());
  EXPECT_EQ(summary["version"], "0.1.0");
  EXPECT_EQ(summary["commit"], "deadbeef");
  EXPECT_EQ(summary["hashes"], 5000);
  EXPECT_DOUBLE_EQ(summary["hashrate"]["10s"].get<double>(), 500);
  EXPECT_TRUE(summary["hashrate"]["60s"].is_null()) << "no partial window";
  EXPECT_TRUE(summary["hashrate"]["15m"].is_null());
  EXPECT_EQ(summary["shares"]["accepted"], 1);
  EXPECT_EQ(summary["shares"]["rejected"], 1);
  EXPECT_EQ(summary["pools_up"], 1);
  EXPECT_EQ(summary["config_reloads"]["failure"], 0);

  const nlohmann::json devices = devices_json(registry.devices());
  ASSERT_EQ(devices["devices"].size(), 1u);
  EXPECT_EQ(devices["devices"][0]["name"], "cpu0");
  EXPECT_EQ(devices["devices"][0]["last_batch_nonces"], 512);
  EXPECT_EQ(devices["devices"][0]["batch_duration"]["count"], 10);
  EXPECT_EQ(devices["devices"][0]["abandoned_batches"], 0);
  EXPECT_TRUE(devices["devices"][0]["hardware_error_ratio"].is_null());

  const nlohmann::json pools = pools_json(registry.pools());
  ASSERT_EQ(pools["pools"].size(), 1u);
  const auto& pool = pools["pools"][0];
  EXPECT_EQ(pool["name"], "main");
  EXPECT_EQ(pool["up"], true);
  EXPECT_EQ(pool["rejected_by_reason"]["stale_job"], 1);
  EXPECT_EQ(pool["submit_rtt"]["count"], 1);
  EXPECT_DOUBLE_EQ(pool["submit_rtt"]["mean_seconds"].get<double>(), 0.04);
  // Round-trips through text (what the API sends).
  EXPECT_EQ(nlohmann::json::parse(pools.dump()), pools);
}

TEST(StatusLine, ReadsTheSummary) {
  test::FakeClock clock;
  Registry registry(clock.fn());
  auto owners = test::FakeOwners::attached_to(registry);
  for (int i = 0; i < 10; ++i) {
    clock.advance(1);
    registry.batch_finished("cpu0", {.hashes = 12'345'000, .seconds = 1, .nonces = 1});
  }
  registry.pool_connection("a", true);
  registry.pool_connection("b", false);
  owners->share_result("a", ShareOutcome::kAccepted, 1);
  owners->share_result("a", ShareOutcome::kStale, 1, "late");
  owners->hardware_error("cpu0");
  EXPECT_EQ(status_line(registry.summary()),
            "speed 10s/60s/15m 12.35 n/a n/a MH/s | accepted 1 rejected 0 stale 1 | hw errors 1 "
            "| pools up 1/2");
}

}  // namespace
}  // namespace synthminer::telemetry
