#include "telemetry/registry.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <thread>

#include "tests/telemetry/fake_clock.h"
#include "tests/telemetry/fake_owners.h"

namespace synthminer::telemetry {
namespace {

using test::ShareOutcome;

using test::FakeClock;

const PoolSnapshot& pool_named(const std::vector<PoolSnapshot>& pools, const std::string& name) {
  for (const auto& p : pools) {
    if (p.name == name) return p;
  }
  throw std::runtime_error("no pool " + name);
}

TEST(Registry, SharesByResultAndReason) {
  Registry registry;
  auto owners = test::FakeOwners::attached_to(registry);
  owners->share_result("main", ShareOutcome::kAccepted, 1024);
  owners->share_result("main", ShareOutcome::kAccepted, 2048);
  owners->share_result("main", ShareOutcome::kRejected, 1024, "Duplicate share");
  owners->share_result("main", ShareOutcome::kRejected, 1024, "duplicate-share!");
  owners->share_result("main", ShareOutcome::kRejected, 1024, "Low difficulty share");
  owners->share_result("main", ShareOutcome::kStale, 1024, "job cleaned");
  owners->share_result("backup", ShareOutcome::kRejected, 8, "");

  const auto pools = registry.pools();
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[0].name, "main") << "pools keep the order they were first seen in";
  const PoolSnapshot& main = pools[0];
  EXPECT_EQ(main.shares.accepted, 2u);
  EXPECT_EQ(main.shares.rejected, 3u);
  EXPECT_EQ(main.shares.stale, 1u);
  EXPECT_DOUBLE_EQ(main.shares.accepted_difficulty, 3072);
  EXPECT_EQ(main.rejected_by_reason.at("duplicate_share"), 2u);
  EXPECT_EQ(main.rejected_by_reason.at("low_difficulty_share"), 1u);
  EXPECT_EQ(main.stale_by_reason.at("job_cleaned"), 1u);
  EXPECT_EQ(pool_named(pools, "backup").rejected_by_reason.at("unknown"), 1u);

  const SummarySnapshot summary = registry.summary();
  EXPECT_EQ(summary.shares.accepted, 2u);
  EXPECT_EQ(summary.shares.rejected, 4u);
  EXPECT_EQ(summary.shares.stale, 1u);
  EXPECT_EQ(summary.pools, 2u);
}

TEST(Registry, RejectReasonsAreCappedAndTheRestFoldIntoOther) {
  Registry registry;
  auto owners = test::FakeOwners::attached_to(registry);
  const size_t extra = 10;
  for (size_t i = 0; i < Registry::kMaxReasons + extra; ++i) {
    owners->share_result("p", ShareOutcome::kRejected, 1, "reason " + std::to_string(i));
  }
  // A reason already admitted keeps its own series after the cap is reached.
  owners->share_result("p", ShareOutcome::kRejected, 1, "reason 0");
  const PoolSnapshot pool = registry.pools().at(0);
  EXPECT_EQ(pool.rejected_by_reason.size(), Registry::kMaxReasons + 1);
  EXPECT_EQ(pool.rejected_by_reason.at("other"), extra);
  EXPECT_EQ(pool.rejected_by_reason.at("reason_0"), 2u);
  EXPECT_EQ(pool.shares.rejected, Registry::kMaxReasons + extra + 1);
}

TEST(Registry, DisconnectCausesAreCountedSanitisedAndCapped) {
  Registry registry;
  registry.pool_disconnected("p", "write queue over # bytes");
  registry.pool_disconnected("p", "write queue over # bytes");
  registry.pool_disconnected("p", "connect\n<3>forged");
  for (size_t i = 0; i < Registry::kMaxReasons + 3; ++i) {
    registry.pool_disconnected("p", "cause " + std::to_string(i));
  }
  const PoolSnapshot pool = registry.pools().at(0);
  EXPECT_EQ(pool.disconnects_by_cause.at("write_queue_over_bytes"), 2u);
  EXPECT_EQ(pool.disconnects_by_cause.at("connect_3_forged"), 1u);
  EXPECT_EQ(pool.disconnects_by_cause.size(), Registry::kMaxReasons + 1);
  EXPECT_GE(pool.disconnects_by_cause.at("other"), 3u);
}

TEST(Registry, AListenerThatCannotBindIsInTheSummaryUntilItServes) {
  Registry registry;
  registry.listener_status("metrics", "metrics: cannot listen on 127.0.0.1:9464: in use");
  registry.listener_status("api", "");
  EXPECT_EQ(registry.summary().listeners.at("metrics"),
            "metrics: cannot listen on 127.0.0.1:9464: in use");
  EXPECT_EQ(registry.summary().listeners.at("api"), "");
  registry.listener_status("metrics", "");
  EXPECT_EQ(registry.summary().listeners.at("metrics"), "");
}

TEST(Registry, SubmitRttBuckets) {
  Registry registry;
  auto owners = test::FakeOwners::attached_to(registry);
  for (double s : {0.004, 0.005, 0.02, 0.3, 0.3, 45.0}) owners->share_submit_rtt("p", s);
  owners->share_submit_rtt("p", std::numeric_limits<double>::quiet_NaN());  // ignored
  owners->share_submit_rtt("p", std::numeric_limits<double>::infinity());   // ignored
  const HistogramSnapshot h = registry.pools().at(0).submit_rtt;
  ASSERT_EQ(h.upper_bounds.size(), h.cumulative_counts.size());
  const auto count_le = [&](double bound) {
    for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
      if (h.upper_bounds[i] == bound) return h.cumulative_counts[i];
    }
    ADD_FAILURE() << "no bucket " << bound;
    return uint64_t{0};
  };
  EXPECT_EQ(count_le(0.005), 2u) << "le is inclusive";
  EXPECT_EQ(count_le(0.01), 2u);
  EXPECT_EQ(count_le(0.025), 3u);
  EXPECT_EQ(count_le(0.25), 3u);
  EXPECT_EQ(count_le(0.5), 5u);
  EXPECT_EQ(count_le(30), 5u) << "45 s lands only in +Inf";
  EXPECT_EQ(h.count, 6u);
  EXPECT_NEAR(h.sum, 0.004 + 0.005 + 0.02 + 0.6 + 45, 1e-9);
}

TEST(Registry, DevicesHashrateAndHardwareErrors) {
  FakeClock clock;
  Registry registry(clock.fn());
  auto owners = test::FakeOwners::attached_to(registry);
  registry.add_device("cpu0");
  EXPECT_EQ(registry.devices().at(0).hashes, 0u);
  EXPECT_FALSE(registry.devices().at(0).hardware_error_ratio);

  for (int i = 0; i < 12; ++i) {
    clock.advance(1);
    registry.batch_finished("cpu0", {.hashes = 2000, .seconds = 1, .nonces = 2048});
    owners->candidates("cpu0", 2);
    registry.batch_finished("cpu1", {.hashes = 1000, .seconds = 1, .nonces = 1024});
  }
  owners->hardware_error("cpu0");
  const auto devices = registry.devices();
  ASSERT_EQ(devices.size(), 2u);
  const DeviceSnapshot& cpu0 = devices[0];
  EXPECT_EQ(cpu0.name, "cpu0");
  EXPECT_EQ(cpu0.hashes, 24000u);
  EXPECT_EQ(cpu0.batches, 12u);
  EXPECT_EQ(cpu0.last_batch_nonces, 2048u);
  EXPECT_DOUBLE_EQ(cpu0.last_batch_seconds, 1.0);
  EXPECT_EQ(cpu0.hardware_errors, 1u);
  ASSERT_TRUE(cpu0.hardware_error_ratio);
  EXPECT_DOUBLE_EQ(*cpu0.hardware_error_ratio, 1.0 / 24);
  ASSERT_TRUE(cpu0.hashrate.s10);
  EXPECT_NEAR(*cpu0.hashrate.s10, 2000, 1e-6);
  EXPECT_FALSE(cpu0.hashrate.s60);
  EXPECT_EQ(cpu0.batch_duration.count, 12u);
  EXPECT_EQ(cpu0.abandoned_batches, 0u);

  const SummarySnapshot summary = registry.summary();
  EXPECT_EQ(summary.hashes, 36000u);
  EXPECT_EQ(summary.hardware_errors, 1u);
  ASSERT_TRUE(summary.hashrate.s10);
  EXPECT_NEAR(*summary.hashrate.s10, 3000, 1e-6);
  EXPECT_FALSE(summary.hashrate.s60);
  EXPECT_NEAR(summary.uptime_seconds, 12, 1e-6);
}

TEST(Registry, AbandonedBatchesCountHashesButNotDuration) {
  FakeClock clock;
  Registry registry(clock.fn());
  clock.advance(1);
  registry.batch_finished("gpu0", {.hashes = 4000, .seconds = 1, .nonces = 4096});
  clock.advance(0.01);
  registry.batch_finished("gpu0",
                          {.hashes = 40, .seconds = 0.01, .nonces = 8192, .abandoned = true});
  const DeviceSnapshot d = registry.devices().at(0);
  EXPECT_EQ(d.hashes, 4040u);
  EXPECT_EQ(d.batches, 2u);
  EXPECT_EQ(d.abandoned_batches, 1u);
  EXPECT_EQ(d.batch_duration.count, 1u);
  EXPECT_DOUBLE_EQ(d.batch_duration.sum, 1.0);
  EXPECT_DOUBLE_EQ(d.last_batch_seconds, 1.0) << "the latest complete batch";
  EXPECT_EQ(d.last_batch_nonces, 8192u) << "the latest batch's size, complete or not";
}

TEST(Registry, TotalCountsADeviceThatJoinedLate) {
  FakeClock clock;
  Registry registry(clock.fn());
  for (int i = 0; i < 20; ++i) {
    clock.advance(1);
    registry.batch_finished("a", {.hashes = 100, .seconds = 1, .nonces = 100});
    if (i >= 15) registry.batch_finished("b", {.hashes = 100, .seconds = 1, .nonces = 100});
  }
  const auto devices = registry.devices();
  EXPECT_FALSE(devices[1].hashrate.s10) << "b has 5 s of history";
  // The miner as a whole has 20 s of history; b's 500 hashes fall inside.
  EXPECT_NEAR(*registry.summary().hashrate.s10, (1000.0 + 500.0) / 10, 1e-6);
}

TEST(Registry, PoolStateDifficultyJobSwitchAndReloads) {
  Registry registry;
  registry.add_pool("pool \"one\"\n");
  registry.pool_connection("pool \"one\"\n", true);
  registry.pool_difficulty("pool \"one\"\n", 65536);
  registry.pool_connection("two", false);
  registry.job_switch(0.002);
  registry.job_switch(0.3);
  registry.config_reload(ReloadOutcome::kSuccess);
  registry.config_reload(ReloadOutcome::kFailure);
  registry.config_reload(ReloadOutcome::kFailure);

  const auto pools = registry.pools();
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[0].name, "pool \"one\"_") << "a control character is replaced, quotes kept";
  EXPECT_TRUE(pools[0].up);
  EXPECT_DOUBLE_EQ(pools[0].difficulty, 65536);
  EXPECT_FALSE(pools[1].up);
  const SummarySnapshot s = registry.summary();
  EXPECT_EQ(s.pools_up, 1u);
  EXPECT_EQ(s.job_switch.count, 2u);
  EXPECT_NEAR(s.job_switch.sum, 0.302, 1e-12);
  EXPECT_EQ(s.reloads_succeeded, 1u);
  EXPECT_EQ(s.reloads_failed, 2u);
}

TEST(Registry, BuildInfoAndVgpuFamilies) {
  Registry registry;
  registry.set_build_info("0.1.0", "abc123");
  registry.vgpu_operation("matmul");
  registry.vgpu_operation("matmul");
  registry.vgpu_cache_lookup(true);
  registry.vgpu_cache_lookup(false);
  registry.vgpu_cache_lookup(false);
  const Snapshot s = registry.snapshot();
  EXPECT_EQ(s.summary.build.version, "0.1.0");
  EXPECT_EQ(s.summary.build.commit, "abc123");
  const auto value = [&](const std::string& family, const std::vector<std::string>& labels) {
    for (const auto& f : s.families) {
      if (f.name != family) continue;
      for (const auto& [values, v] : f.series) {
        if (values == labels) return v;
      }
    }
    return -1.0;
  };
  EXPECT_EQ(value("synthminer_vgpu_operations_total", {"matmul"}), 2);
  EXPECT_EQ(value("synthminer_vgpu_cache_hits_total", {}), 1);
  EXPECT_EQ(value("synthminer_vgpu_cache_misses_total", {}), 2);
}

TEST(Registry, AddFamilyChecksTheSpec) {
  Registry registry;
  EXPECT_FALSE(registry.add_family({"vgpu_bytes", "h", FamilyKind::kGauge, {}}));
  EXPECT_FALSE(registry.add_family({"synthminer_x", "h", FamilyKind::kCounter, {}}))
      << "a counter must end in _total";
  EXPECT_FALSE(registry.add_family({"synthminer_x_total", "h", FamilyKind::kGauge, {}}));
  EXPECT_FALSE(registry.add_family({"synthminer_x_total", "h", FamilyKind::kCounter, {"le"}}));
  EXPECT_FALSE(registry.add_family({"synthminer_x_total", "", FamilyKind::kCounter, {}}));
  EXPECT_FALSE(registry.add_family(
      {"synthminer_vgpu_operations_total", "h", FamilyKind::kCounter, {"kind"}}))
      << "the name is taken";
  auto bytes = registry.add_family(
      {"synthminer_vgpu_cache_bytes", "Bytes held", FamilyKind::kGauge, {"layer"}});
  ASSERT_TRUE(bytes) << bytes.error();
  registry.family_set(*bytes, {"memo"}, 4096);
  registry.family_set(*bytes, {"memo"}, 1024);
  registry.family_add(*bytes, {"memo", "extra"}, 1);  // wrong arity: ignored
  const auto s = registry.snapshot();
  const auto& f = s.families.back();
  ASSERT_EQ(f.series.size(), 1u);
  EXPECT_EQ(f.series[0].first, std::vector<std::string>{"memo"});
  EXPECT_EQ(f.series[0].second, 1024);
}

TEST(Registry, FamilySeriesAreCapped) {
  Registry registry;
  for (size_t i = 0; i < Family::kMaxSeries + 5; ++i) {
    registry.vgpu_operation("kind" + std::to_string(i));
  }
  const auto s = registry.snapshot();
  for (const auto& f : s.families) {
    if (f.name != "synthminer_vgpu_operations_total") continue;
    EXPECT_EQ(f.series.size(), Family::kMaxSeries + 1);
    EXPECT_EQ(f.series.back().first, std::vector<std::string>{"other"});
    EXPECT_EQ(f.series.back().second, 5);
  }
}

TEST(Registry, WritersAndReadersOnManyThreads) {
  Registry registry;
  auto owners = test::FakeOwners::attached_to(registry);
  constexpr int kPerThread = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&registry, &owners, t] {
      for (int i = 0; i < kPerThread; ++i) {
        registry.batch_finished("dev" + std::to_string(t), {.hashes = 1, .seconds = 0.001});
        owners->share_result("p", ShareOutcome::kAccepted, 1);
      }
    });
  }
  threads.emplace_back([&registry] {
    for (int i = 0; i < 200; ++i) (void)registry.snapshot();
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(registry.summary().hashes, 3u * kPerThread);
  EXPECT_EQ(registry.summary().shares.accepted, 3u * kPerThread);
}

}  // namespace
}  // namespace synthminer::telemetry
