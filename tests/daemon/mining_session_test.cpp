// The daemon's mining path end to end: DemoPool on loopback, the pool
// client, the scheduler and CPU workers, for a couple of seconds.
#include "daemon/mining_session.h"

#include <gtest/gtest.h>

#include "demo_pool/demo_pool.h"
#include "hashcore/selftest.h"
#include "scheduler/scan_device.h"
#include "stratum/client.h"

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct CountingObserver : MiningObserver {
  uint64_t found = 0, blocks = 0, results = 0, hardware_errors = 0, jobs = 0;
  void on_job(const protocol::WorkItem&) override { ++jobs; }
  void on_share_found(const std::string&, const protocol::Share&, double, bool block) override {
    ++found;
    blocks += block;
  }
  void on_share_result(const protocol::ShareResult&) override { ++results; }
  void on_hardware_error(const std::string&, const std::string&) override { ++hardware_errors; }
};

class MiningSessionTest : public ::testing::Test {
 protected:
  void start(int zero_bits, std::chrono::milliseconds job_interval,
             const std::function<void(demo_pool::DemoPoolOptions&)>& tweak = {}) {
    demo_pool::DemoPoolOptions o;
    o.zero_bits = zero_bits;
    o.job_interval = job_interval;
    if (tweak) tweak(o);
    pool = std::make_unique<demo_pool::DemoPool>(o);
    auto port = pool->start();
    ASSERT_TRUE(port) << port.error();

    std::string error;
    dispatch = hashcore::Dispatch::create(std::nullopt, error);
    ASSERT_TRUE(dispatch) << error;
    std::vector<devices::MiningDevice> devices;
    for (int i = 0; i < 2; ++i) {
      devices::MiningDevice d;
      d.device = std::make_unique<scheduler::BackendDevice>("cpu_" + std::to_string(i),
                                                            dispatch->chosen());
      d.options.sizing = scheduler::cpu_batch_options();
      devices.push_back(std::move(d));
    }
    stratum::ClientOptions client;
    stratum::PoolOptions p;
    p.url = "stratum+tcp://127.0.0.1:" + std::to_string(*port);
    p.user = "test.worker";
    p.password = "x";
    p.version_rolling = true;
    client.pools.push_back(p);
    client.backoff.initial = 20ms;
    client.backoff.max = 100ms;
    client.request_timeout = 1000ms;
    session = std::make_unique<MiningSession>(io, observer, std::move(devices),
                                              scheduler::SchedulerOptions{});
    auto source = stratum::Client::create(io, client, *session);
    ASSERT_TRUE(source) << source.error();
    session->attach_source(std::move(source).value());
    session->attach_telemetry(registry);
    session->start();
  }

  void run_for(std::chrono::milliseconds d, const std::function<void()>& midway = {}) {
    const auto half = Clock::now() + d / 2;
    const auto end = Clock::now() + d;
    bool did_midway = false;
    while (Clock::now() < end) {
      io.run_one_for(10ms);
      if (midway && !did_midway && Clock::now() >= half) {
        midway();
        did_midway = true;
      }
    }
  }

  /// The session's stop, with the io loop run until it is over.
  void stop_session(std::chrono::milliseconds drain) {
    bool stopped = false;
    session->stop(drain, [&] { stopped = true; });
    while (!stopped) io.run_one_for(10ms);
  }

  boost::asio::io_context io;
  telemetry::Registry registry;  // outlives the session, which it reads
  CountingObserver observer;
  std::optional<hashcore::Dispatch> dispatch;
  std::unique_ptr<demo_pool::DemoPool> pool;
  std::unique_ptr<MiningSession> session;
};

TEST_F(MiningSessionTest, SharesFoundAreAcceptedByThePoolsOwnValidation) {
  start(/*zero_bits=*/18, 700ms);  // a share every 2^18 hashes; a new job every 0.7 s
  run_for(2500ms);
  stop_session(2s);
  const auto stats = session->share_stats();
  EXPECT_GT(stats.found, 0u);
  EXPECT_TRUE(stats.balanced());
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_EQ(observer.hardware_errors, 0u);
  EXPECT_GE(observer.jobs, 3u);
  // DemoPool rebuilt and re-hashed every share it was sent: all were valid.
  // The only rejections allowed are shares that crossed a new clean job on
  // the wire ("job not found"): network staleness, which real pools show too.
  ASSERT_TRUE(pool->wait_for_shares(stats.accepted + stats.rejected, 1s));
  EXPECT_EQ(pool->counts().accepted, stats.accepted);
  EXPECT_EQ(pool->counts().rejected, stats.rejected);
  for (const auto& record : pool->shares()) {
    EXPECT_TRUE(record.accepted || record.reject == demo_pool::Reject::kJobNotFound)
        << "nonce " << record.share.nonce
        << " rejected: " << demo_pool::reject_message(record.reject);
  }
  EXPECT_LT(stats.rejected * 10, stats.found + 10);  // rare, not the rule
  // Every verified candidate reached the pool client's ledger.
  EXPECT_EQ(observer.found, stats.found);
  uint64_t hashes = 0;
  const auto devices = registry.devices();
  EXPECT_EQ(devices.size(), 2u);
  for (const auto& d : devices) {
    EXPECT_GT(d.hashes, 0u) << d.name << " did no work";
    hashes += d.hashes;
  }
  EXPECT_EQ(hashes, session->total_hashes());
  // Telemetry reads the ledger and the verifier: the figures cannot differ.
  const auto summary = registry.summary();
  EXPECT_EQ(summary.shares.accepted, stats.accepted);
  EXPECT_EQ(summary.shares.rejected, stats.rejected);
  EXPECT_EQ(summary.hardware_errors, session->scheduler().verifier().stats().hardware_errors);
  EXPECT_GT(registry.pools().at(0).submit_rtt.count, 0u) << "round trips from the ledger";
}

TEST_F(MiningSessionTest, EveryShareIsAccountedForUnderFaults) {
  start(/*zero_bits=*/18, 0ms);
  pool->set_reject_ratio(0.5, demo_pool::Reject::kLowDifficulty);
  run_for(2500ms, [&] {
    pool->drop_connections();  // shares in flight become "disconnected"
    pool->send_new_job(true);
  });
  stop_session(2s);
  const auto stats = session->share_stats();
  EXPECT_GT(stats.found, 0u);
  EXPECT_TRUE(stats.balanced()) << stats.found << " found vs " << stats.accepted << "+"
                                << stats.rejected << "+" << stats.stale << "+" << stats.pending;
  EXPECT_EQ(stats.pending, 0u);
  EXPECT_GT(stats.rejected, 0u);  // the injected rejections came back as such
  EXPECT_EQ(observer.hardware_errors, 0u);
}

// Issue 13, item 16: ckpool clamps a client's difficulty to a regtest
// network's (4.7e-10), where about every other nonce is a share and a block.
TEST_F(MiningSessionTest, ARegtestDifficultyGivesOneBlockPerTipAndABoundedShareRate) {
  start(/*zero_bits=*/18, 0ms, [](demo_pool::DemoPoolOptions& o) {
    o.zero_bits.reset();
    o.difficulty = 4.7e-10;
    o.nbits = 0x207fffff;  // regtest's network target
  });
  run_for(2000ms);  // one tip all along
  stop_session(2s);
  const auto stats = session->share_stats();
  EXPECT_EQ(observer.blocks, 1u) << "a block goes first once per tip, the rest are shares";
  EXPECT_TRUE(stats.balanced());
  EXPECT_EQ(stats.pending, 0u);
  // 100 submits a second by default, one second of burst: at most ~300 in 2 s.
  ASSERT_TRUE(pool->wait_for_shares(stats.accepted + stats.rejected, 1s));
  EXPECT_GT(pool->counts().accepted, 0u);
  EXPECT_LE(pool->counts().accepted + pool->counts().rejected, 400u);
  EXPECT_EQ(observer.hardware_errors, 0u);
}

// Issue 13, item 20: a pause and resume through the API re-sent the shares
// found before the pause (the job restarted at nonce 0).
TEST_F(MiningSessionTest, APauseAndResumeNeverFindTheSameShareTwice) {
  start(/*zero_bits=*/16, 0ms);  // one job for the whole test
  run_for(800ms);
  const uint64_t before = session->share_stats().found;
  session->pause();
  run_for(300ms);  // the shares in flight are answered
  session->resume();
  run_for(800ms);
  stop_session(2s);
  const auto stats = session->share_stats();
  ASSERT_GT(before, 0u);
  ASSERT_GT(stats.found, before) << "no share after the resume";
  ASSERT_TRUE(pool->wait_for_shares(stats.accepted + stats.rejected, 1s));
  for (const auto& record : pool->shares()) {
    EXPECT_NE(record.reject, demo_pool::Reject::kDuplicate)
        << "nonce " << record.share.nonce << " was sent twice";
  }
  EXPECT_EQ(stats.rejected, 0u);
}

}  // namespace
}  // namespace synthminer::daemon
