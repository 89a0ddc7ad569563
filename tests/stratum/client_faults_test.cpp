// The pool client against a misbehaving DemoPool: bad lines, drops,
// unanswered and late replies, the job watchdog; and the share accounting
// through all of it.
#include <gtest/gtest.h>

#include <thread>

#include "client_test_util.h"
#include "demo_pool/demo_pool.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::run_until;

class ClientFaults : public testing::ClientAgainstDemoPool {
 protected:
  bool wait_disconnects(size_t n, std::chrono::milliseconds timeout = 3s) {
    return run_until(
        io, [&] { return rec.count_state(protocol::ConnectionState::kDisconnected) >= n; },
        timeout);
  }
  std::string last_disconnect() const {
    for (auto it = rec.states.rbegin(); it != rec.states.rend(); ++it) {
      if (it->state == protocol::ConnectionState::kDisconnected) return it->reason;
    }
    return "";
  }
};

TEST_F(ClientFaults, GarbageLineIsIgnored) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  pool->send_garbage();
  pool->send_line(R"({"id":12345,"result":true,"error":null})");  // a reply nobody asked for
  pool->send_line(R"({"id":null,"method":"mining.notify","params":["x"]})");  // bad params
  testing::run_for(io, 100ms);
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  client->submit(*share);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted);
}

TEST_F(ClientFaults, OverlongLineClosesAndReconnects) {
  start_pool();
  start_client([](ClientOptions& o) { o.max_line_bytes = 4096; });
  ASSERT_TRUE(wait_ready());
  pool->send_oversized_line(10000);
  ASSERT_TRUE(wait_disconnects(1));
  EXPECT_NE(last_disconnect().find("line longer than 4096 bytes"), std::string::npos)
      << last_disconnect();
  ASSERT_TRUE(
      run_until(io, [&] { return rec.count_state(protocol::ConnectionState::kAuthorized) == 2; }));
  EXPECT_EQ(pool->connections_total(), 2u);
}

TEST_F(ClientFaults, DroppedConnectionReconnectsAndQueuedShareIsJudged) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem job = rec.jobs.back();
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);

  pool->drop_connections();
  ASSERT_TRUE(wait_disconnects(1));
  client->submit(*share, job.session);  // found while offline: kept
  ASSERT_TRUE(run_until(io, [&] { return client->queued_shares() == 1; }));
  EXPECT_EQ(client->share_stats(0).pending, 1u);
  EXPECT_TRUE(client->share_stats(0).balanced());

  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_TRUE(client->ready());
  // DemoPool gives every connection a new extranonce1: the old work is void.
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kStale);
  EXPECT_EQ(rec.results[0].reason, "session not resumed");
  EXPECT_EQ(client->share_stats(0).stale_by_reason.at("session not resumed"), 1u);

  // The second subscribe asked to resume the first session.
  std::vector<protocol::json> subscribes;
  for (const auto& m : pool->received()) {
    if (m.message.method == "mining.subscribe") subscribes.push_back(m.message.params);
  }
  ASSERT_EQ(subscribes.size(), 2u);
  EXPECT_EQ(subscribes[0].size(), 1u);
  ASSERT_EQ(subscribes[1].size(), 2u);
  EXPECT_TRUE(subscribes[1][1].is_string());
}

TEST_F(ClientFaults, QueuedShareIsSentWhenTheSessionResumes) {
  start_pool(
      [](demo_pool::DemoPoolOptions& o) { o.extranonce1_size = 0; });  // same (empty) extranonce1
  start_client();
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem job = rec.jobs.back();
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  pool->drop_connections();
  ASSERT_TRUE(wait_disconnects(1));
  client->submit(*share, job.session);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  // Same pool, same extranonce, same block: sent in the new session.
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
  ASSERT_TRUE(pool->wait_for_shares(1, 1s));  // recorded on DemoPool's thread
  EXPECT_EQ(pool->counts().accepted, 1u);
}

TEST_F(ClientFaults, OfflineQueueIsBounded) {
  start_pool();
  start_client([](ClientOptions& o) {
    o.offline_queue_limit = 2;
    o.backoff.initial = 300ms;  // stay offline long enough
    o.backoff.max = 300ms;
  });
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem job = rec.jobs.back();
  pool->drop_connections();
  ASSERT_TRUE(wait_disconnects(1));
  for (uint32_t i = 0; i < 5; ++i) {
    protocol::Share s;
    s.job_id = job.job.job_id;
    s.extranonce2.assign(job.extranonce.extranonce2_size, 0);
    s.nonce = i;
    client->submit(s, job.session);
  }
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 3; }));
  const protocol::ShareStats s = client->share_stats(0);
  EXPECT_EQ(s.stale_by_reason.at("offline queue full"), 3u);
  EXPECT_EQ(s.pending, 2u);
  EXPECT_TRUE(s.balanced());
}

TEST_F(ClientFaults, AFoundBlockWaitsAheadOfSharesAndIsNeverDroppedForRoom) {
  start_pool([](demo_pool::DemoPoolOptions& o) { o.extranonce1_size = 0; });  // the session resumes
  start_client([](ClientOptions& o) {
    o.offline_queue_limit = 2;
    o.backoff.initial = 300ms;
    o.backoff.max = 300ms;
  });
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem job = rec.jobs.back();
  pool->drop_connections();
  ASSERT_TRUE(wait_disconnects(1));
  const auto share = [&](uint32_t nonce) {
    protocol::Share s;
    s.job_id = job.job.job_id;
    s.extranonce2.assign(job.extranonce.extranonce2_size, 0);
    s.nonce = nonce;
    return s;
  };
  client->submit(share(1), job.session);
  client->submit(share(2), job.session);
  client->submit(share(0xb10c), job.session, /*block=*/true);  // the queue is full: 1 goes
  client->submit(share(3), job.session);                       // and 2 goes
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() >= 2; }));
  EXPECT_EQ(rec.results[0].share.nonce, 1u);
  EXPECT_EQ(rec.results[1].share.nonce, 2u);
  // Back online: the block is submitted before the ordinary share.
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 4; }));
  std::vector<uint32_t> submitted;
  for (const auto& m : pool->received()) {
    if (m.message.method == "mining.submit")
      submitted.push_back(
          static_cast<uint32_t>(std::stoul(m.message.params[4].get<std::string>(), nullptr, 16)));
  }
  ASSERT_EQ(submitted.size(), 2u);
  EXPECT_EQ(submitted[0], 0xb10cu);
  EXPECT_EQ(submitted[1], 3u);
  EXPECT_TRUE(client->share_stats(0).balanced());
}

TEST_F(ClientFaults, UnansweredSubmitTimesOutAsRejected) {
  start_pool();
  start_client([](ClientOptions& o) { o.request_timeout = 200ms; });
  ASSERT_TRUE(wait_ready());
  pool->set_unanswered({"mining.submit"});
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  const auto t0 = std::chrono::steady_clock::now();
  client->submit(*share);
  ASSERT_TRUE(run_until(io, [&] { return client->share_stats(0).pending == 1; }));
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 190ms);
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kRejected);
  EXPECT_EQ(rec.results[0].reason, "timeout");
  EXPECT_EQ(client->share_stats(0).rejected_by_reason.at("timeout"), 1u);
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);  // the session lives on
}

TEST_F(ClientFaults, LateRepliesWithinTheTimeoutAreFine) {
  start_pool();
  start_client([](ClientOptions& o) { o.request_timeout = 800ms; });
  pool->set_response_delay(150ms);
  ASSERT_TRUE(wait_ready());
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  client->submit(*share);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted);
}

TEST_F(ClientFaults, UnansweredAuthorizeRecyclesTheConnection) {
  start_pool();
  pool->set_unanswered({"mining.authorize"});
  start_client([](ClientOptions& o) { o.request_timeout = 150ms; });
  ASSERT_TRUE(wait_disconnects(2));
  EXPECT_EQ(last_disconnect(), "authorize timed out");
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kAuthorized), 0u);
  pool->set_unanswered({});
  ASSERT_TRUE(wait_ready());
}

TEST_F(ClientFaults, WatchdogRecyclesASilentPool) {
  start_pool();
  start_client([](ClientOptions& o) { o.job_timeout = 250ms; });
  ASSERT_TRUE(wait_ready());
  ASSERT_TRUE(wait_disconnects(1));  // DemoPool sends no new job: silence
  EXPECT_EQ(last_disconnect(), "no job for 250 ms");
  ASSERT_TRUE(
      run_until(io, [&] { return rec.count_state(protocol::ConnectionState::kAuthorized) == 2; }));
}

TEST_F(ClientFaults, RejectedSharesCarryThePoolsReason) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  pool->set_reject_ratio(1.0, demo_pool::Reject::kJobNotFound);
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  client->submit(*share);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kRejected);
  EXPECT_EQ(rec.results[0].reason, "Job not found (21)");
}

// Shares keep coming while the pool drops us, goes quiet, rejects and
// talks nonsense; at every step found == accepted + rejected + stale + pending.
TEST_F(ClientFaults, AccountingInvariantUnderFaults) {
  start_pool();
  start_client([](ClientOptions& o) { o.request_timeout = 150ms; });
  ASSERT_TRUE(wait_ready());
  size_t submitted = 0;
  bool balanced = true;
  auto pump = [&](std::chrono::milliseconds d) {
    const auto end = std::chrono::steady_clock::now() + d;
    run_until(io, [&] {
      balanced = balanced && client->share_stats(0).balanced();
      return std::chrono::steady_clock::now() > end;
    });
  };
  auto submit_some = [&](int n) {
    if (rec.jobs.empty()) return;
    const protocol::WorkItem job = rec.jobs.back();
    for (int i = 0; i < n; ++i) {
      auto s = testing::find_share(job, static_cast<uint32_t>(submitted * 64));
      if (!s) continue;
      client->submit(*s, job.session);
      ++submitted;
    }
  };

  for (int round = 0; round < 6; ++round) {
    submit_some(3);
    switch (round) {
      case 0:
        pool->set_reject_ratio(0.5);
        break;
      case 1:
        pool->set_unanswered({"mining.submit"});
        break;
      case 2:
        pool->drop_connections();
        break;
      case 3:
        pool->set_unanswered({});
        pool->send_garbage();
        pool->send_new_job(true);
        break;
      case 4:
        pool->drop_connections();
        pool->set_reject_ratio(0);
        break;
      default:
        break;
    }
    submit_some(2);
    pump(60ms);
  }
  ASSERT_TRUE(run_until(io, [&] {
    balanced = balanced && client->share_stats(0).balanced();
    return client->ready() && client->share_stats(0).pending == 0;
  }));
  EXPECT_TRUE(balanced);
  const protocol::ShareStats s = client->share_stats(0);
  EXPECT_EQ(s.found, submitted);
  EXPECT_EQ(s.accepted + s.rejected + s.stale, submitted);
  EXPECT_GT(s.accepted, 0u);
  EXPECT_GT(s.rejected, 0u);
  // Lost replies may hide acceptances; DemoPool records on its own thread.
  const auto deadline = std::chrono::steady_clock::now() + 1s;
  while (pool->counts().accepted < s.accepted && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LE(s.accepted, pool->counts().accepted);
}

}  // namespace
}  // namespace synthminer::stratum
