// The pool client against pools that misbehave on purpose or by accident:
// reconnect loops, long reconnect waits, submits never answered. Each test
// names the defect of issue 13 it pins down.
#include <gtest/gtest.h>

#include "client_test_util.h"
#include "demo_pool/demo_pool.h"
#include "scripted_pool.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::Recorder;
using testing::run_for;
using testing::run_until;
using testing::ScriptedPool;

std::unique_ptr<demo_pool::DemoPool> demo_pool() {
  return testing::started_demo_pool();
}

class ClientHostile : public testing::ClientOnPools {
 protected:
  std::string last_disconnect_reason(size_t pool) const {
    for (auto it = rec.states.rbegin(); it != rec.states.rend(); ++it) {
      if (it->pool == pool && it->state == protocol::ConnectionState::kDisconnected)
        return it->reason;
    }
    return {};
  }
};

// Every subscribe answered by `client.reconnect [127.0.0.1, own port, wait]`.
class RedirectLoop {
 public:
  explicit RedirectLoop(uint32_t wait_seconds)
      : pool_([this, wait_seconds](const protocol::json& m) -> std::vector<std::string> {
          if (m.value("method", "") != "mining.subscribe") return {};
          const protocol::json params = {"127.0.0.1", port_.load(), wait_seconds};
          return {
              protocol::json{{"id", nullptr}, {"method", "client.reconnect"}, {"params", params}}
                  .dump()};
        }) {
    port_ = pool_.port();
  }
  uint16_t port() const { return pool_.port(); }
  uint64_t connections_total() const { return pool_.connections_total(); }

 private:
  std::atomic<uint16_t> port_{0};
  ScriptedPool pool_;
};

TEST_F(ClientHostile, AReconnectBeforeAnyWorkIsAFailureAndFailsOver) {
  RedirectLoop loop(0);
  auto backup = demo_pool();
  start_client({loop.port(), backup->port()});
  ASSERT_TRUE(ready_on(1)) << "connections to the looping pool: " << loop.connections_total();
  // failures_before_failover is 2: a handful of connections, not a tight loop.
  EXPECT_LE(loop.connections_total(), 4u);
  backup->stop();
}

TEST_F(ClientHostile, APoolsLongReconnectWaitIsCappedAndCountsAsAFailure) {
  RedirectLoop parked(600);  // each time: come back in ten minutes
  auto backup = demo_pool();
  start_client({parked.port(), backup->port()},
               [](ClientOptions& o) { o.max_reconnect_wait = 100ms; });
  ASSERT_TRUE(ready_on(1));
  EXPECT_GE(parked.connections_total(), 2u);
  backup->stop();
}

TEST_F(ClientHostile, AReconnectLoopWaitsAtLeastTheBackOff) {
  RedirectLoop loop(0);
  start_client({loop.port()}, [](ClientOptions& o) {
    o.backoff.initial = 50ms;
    o.backoff.max = 200ms;
    o.backoff.jitter = 0;
  });
  run_for(io, 600ms);
  // Back-off 50, 100, 200, 200 ms: about five connections; a zero-delay
  // loop makes hundreds.
  EXPECT_GE(loop.connections_total(), 2u);
  EXPECT_LE(loop.connections_total(), 8u);
}

TEST_F(ClientHostile, SubmitsNeverAnsweredEndTheSessionAndFailOver) {
  auto silent = demo_pool();
  silent->set_unanswered({"mining.submit"});
  auto backup = demo_pool();
  start_client({silent->port(), backup->port()}, [](ClientOptions& o) {
    o.request_timeout = 200ms;
    o.max_submit_timeouts = 2;
    o.failover.failures_before_failover = 1;
  });
  ASSERT_TRUE(ready_on(0));
  const protocol::WorkItem job = rec.jobs.back();
  for (uint8_t i = 0; i < 2; ++i) {
    auto share = testing::find_share(job, 0, {}, i);
    ASSERT_TRUE(share);
    client->submit(*share, job.session);
  }
  ASSERT_TRUE(ready_on(1));
  EXPECT_NE(last_disconnect_reason(0).find("2 submits in a row unanswered"), std::string::npos)
      << last_disconnect_reason(0);
  EXPECT_EQ(client->share_stats(0).rejected, 2u);
  EXPECT_EQ(client->share_stats(0).rejected_by_reason.at("timeout"), 2u);
  silent->stop();
  backup->stop();
}

TEST_F(ClientHostile, AnAnsweredSubmitResetsTheTimeOutCount) {
  auto pool = demo_pool();
  start_client({pool->port()}, [](ClientOptions& o) {
    o.request_timeout = 200ms;
    o.max_submit_timeouts = 2;
  });
  ASSERT_TRUE(ready_on(0));
  const protocol::WorkItem job = rec.jobs.back();
  // timeout, answered, timeout: never two in a row.
  for (uint8_t i = 0; i < 3; ++i) {
    pool->set_unanswered(i == 1 ? std::vector<std::string>{}
                                : std::vector<std::string>{"mining.submit"});
    auto share = testing::find_share(job, 0, {}, i);
    ASSERT_TRUE(share);
    const size_t before = rec.results.size();
    client->submit(*share, job.session);
    ASSERT_TRUE(run_until(io, [&] { return rec.results.size() > before; }));
  }
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);
  EXPECT_EQ(client->share_stats(0).accepted, 1u);
  pool->stop();
}

protocol::JobRef origin_of(const protocol::WorkItem& job) {
  return protocol::job_ref(job, 0);
}

TEST_F(ClientHostile, AShareIsNeverSentTwice) {
  auto pool = demo_pool();
  start_client({pool->port()});
  ASSERT_TRUE(ready_on(0));
  const protocol::WorkItem job = rec.jobs.back();
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  client->submit(*share, origin_of(job));
  client->submit(*share, origin_of(job));  // found again, e.g. after a resume
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 2; }));
  // The duplicate is judged at once, before the pool answers the first.
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kStale);
  EXPECT_EQ(rec.results[0].reason, "duplicate (not sent)");
  EXPECT_EQ(rec.results[1].fate, protocol::ShareFate::kAccepted) << rec.results[1].reason;
  run_for(io, 50ms);
  EXPECT_FALSE(pool->wait_for_method("mining.submit", 2, 0ms)) << "the pool saw it twice";
  EXPECT_TRUE(client->share_stats(0).balanced());
  pool->stop();
}

TEST_F(ClientHostile, ASharePredatingSetExtranonceIsStaleNotSent) {
  auto pool = demo_pool();
  start_client({pool->port()});
  ASSERT_TRUE(ready_on(0));
  const protocol::WorkItem job = rec.jobs.back();
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  // The pool changes the extranonce: the client re-issues the same job id.
  const size_t jobs_before = rec.jobs.size();
  pool->send_line(R"({"id":null,"method":"mining.set_extranonce","params":["feedbeef",4]})");
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.size() > jobs_before; }));
  ASSERT_EQ(rec.jobs.back().job.job_id, job.job.job_id);
  client->submit(*share, origin_of(job));
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results.back().fate, protocol::ShareFate::kStale);
  EXPECT_EQ(rec.results.back().reason, "extranonce changed");
  run_for(io, 50ms);
  EXPECT_FALSE(pool->wait_for_method("mining.submit", 1, 0ms));
  pool->stop();
}

TEST_F(ClientHostile, ARolledSharePredatingSetVersionMaskIsStaleNotSent) {
  auto pool = demo_pool();
  start_client({pool->port()}, [](ClientOptions& o) { o.pools[0].version_rolling = true; });
  ASSERT_TRUE(run_until(
      io, [&] { return client->ready() && !rec.jobs.empty() && rec.jobs.back().version_mask; }));
  const protocol::WorkItem job = rec.jobs.back();
  auto rolled = testing::find_share(job, 0, 0x00004000u);
  auto plain = testing::find_share(job, 0, std::nullopt, 1);
  ASSERT_TRUE(rolled && plain);
  const size_t jobs_before = rec.jobs.size();
  pool->send_notification("mining.set_version_mask", json::array({"00006000"}));
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.size() > jobs_before; }));
  client->submit(*rolled, origin_of(job));
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 1; }));
  EXPECT_EQ(rec.results.back().fate, protocol::ShareFate::kStale);
  EXPECT_EQ(rec.results.back().reason, "version mask changed");
  // A share that rolled nothing is the same header under any mask.
  client->submit(*plain, origin_of(job));
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 2; }));
  EXPECT_EQ(rec.results.back().fate, protocol::ShareFate::kAccepted) << rec.results.back().reason;
  pool->stop();
}

TEST_F(ClientHostile, SubmitsPastTheBudgetAreHeldBackAndCounted) {
  auto pool = demo_pool();
  start_client({pool->port()}, [](ClientOptions& o) { o.max_submits_per_second = 5; });
  ASSERT_TRUE(ready_on(0));
  const protocol::WorkItem job = rec.jobs.back();
  std::vector<protocol::Share> shares;
  for (uint8_t i = 0; i < 20; ++i) {
    auto share = testing::find_share(job, 0, std::nullopt, i);
    ASSERT_TRUE(share);
    shares.push_back(*share);
  }
  for (const protocol::Share& share : shares) client->submit(share, origin_of(job));
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == shares.size(); }));
  const protocol::ShareStats stats = client->share_stats(0);
  // One second of burst (5), plus what refilled while they went out.
  EXPECT_GE(stats.accepted, 5u);
  EXPECT_LT(stats.accepted, 10u);
  EXPECT_EQ(stats.accepted + stats.stale_by_reason.at("submit rate limit"), shares.size());
  pool->stop();
}

TEST_F(ClientHostile, ABlockIsNeverHeldBackByTheBudget) {
  auto pool = demo_pool();
  start_client({pool->port()}, [](ClientOptions& o) { o.max_submits_per_second = 1; });
  ASSERT_TRUE(ready_on(0));
  const protocol::WorkItem job = rec.jobs.back();
  for (uint8_t i = 0; i < 3; ++i) {
    auto share = testing::find_share(job, 0, std::nullopt, i);
    ASSERT_TRUE(share);
    client->submit(*share, origin_of(job), /*block=*/i == 2);
  }
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 3; }));
  const protocol::ShareStats stats = client->share_stats(0);
  EXPECT_EQ(stats.accepted, 2u);  // the first share and the block
  EXPECT_EQ(stats.stale_by_reason.at("submit rate limit"), 1u);
  pool->stop();
}

}  // namespace
}  // namespace synthminer::stratum
