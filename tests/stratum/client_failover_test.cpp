// The pool client across pools: failover, failback, and client.reconnect
// (followed to the same host, refused to another).
#include <gtest/gtest.h>

#include "client_test_util.h"
#include "demo_pool/demo_pool.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::run_until;

std::unique_ptr<demo_pool::DemoPool> make_pool(uint16_t port = 0) {
  return testing::started_demo_pool(port);
}

class ClientFailover : public testing::ClientOnPools {
 protected:
  bool ready_on(size_t pool, std::chrono::milliseconds timeout = 3s) {
    return ClientOnPools::ready_on(pool, timeout);
  }
  void submit_one(uint8_t extranonce2_fill = 0) {
    const protocol::WorkItem job = rec.jobs.back();
    auto share = testing::find_share(job, 0, {}, extranonce2_fill);
    ASSERT_TRUE(share);
    const size_t before = rec.results.size();
    client->submit(*share, job.session);
    ASSERT_TRUE(run_until(io, [&] { return rec.results.size() > before; }));
    EXPECT_EQ(rec.results.back().fate, protocol::ShareFate::kAccepted) << rec.results.back().reason;
  }
};

TEST_F(ClientFailover, FailsOverAndBack) {
  auto primary = make_pool();
  auto backup = make_pool();
  const uint16_t primary_port = primary->port();
  start_client({primary_port, backup->port()});
  ASSERT_TRUE(ready_on(0));
  submit_one();

  primary->stop();  // refused from now on
  ASSERT_TRUE(ready_on(1));
  // Two failures in a row on the primary (the drop, a refused connect).
  EXPECT_GE(rec.count_state(protocol::ConnectionState::kDisconnected, 0), 2u);
  submit_one();

  // The primary comes back; it must answer probes for 150 ms first.
  const auto back_at = std::chrono::steady_clock::now();
  primary = make_pool(primary_port);
  ASSERT_TRUE(ready_on(0));
  EXPECT_GE(std::chrono::steady_clock::now() - back_at, 150ms);
  submit_one();
  EXPECT_GE(primary->connections_total(), 2u);  // probes, then the session

  const auto stats = client->share_stats();
  EXPECT_EQ(stats[0].accepted, 2u);
  EXPECT_EQ(stats[1].accepted, 1u);
  primary->stop();
  backup->stop();
}

TEST_F(ClientFailover, AnOperatorSwitchMovesToTheChosenPool) {
  auto primary = make_pool();
  auto backup = make_pool();
  start_client({primary->port(), backup->port()});
  ASSERT_TRUE(ready_on(0));
  submit_one();
  EXPECT_FALSE(client->switch_pool(2));  // no such pool
  ASSERT_TRUE(client->switch_pool(1));
  ASSERT_TRUE(ready_on(1));
  submit_one();
  EXPECT_EQ(client->share_stats(1).accepted, 1u);
  ASSERT_TRUE(client->switch_pool(0));
  ASSERT_TRUE(ready_on(0));
  EXPECT_EQ(client->share_stats(0).accepted, 1u);
}

TEST_F(ClientFailover, AReloadThatKeepsThePoolInUseKeepsItsConnection) {
  auto primary = make_pool();
  auto added = make_pool();
  start_client({primary->port()});
  ASSERT_TRUE(ready_on(0));
  submit_one();
  // A new pool goes first; the one in use moves to second place.
  ClientOptions o = testing::test_options({added->port(), primary->port()});
  o.failover.probe_interval = 1h;  // no failback during the test
  o.pools[1] = client->options().pools[0];
  ASSERT_TRUE(client->update_options(o));
  testing::run_for(io, 200ms);
  EXPECT_EQ(primary->connections_total(), 1u);  // the connection was kept
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);
  EXPECT_EQ(client->current_pool(), 0u);  // same pool, same index
  EXPECT_EQ(client->pool_order(), (std::vector<size_t>{1, 0}));
  EXPECT_EQ(client->pool_count(), 2u);
  submit_one(1);                                   // another share of the same job
  EXPECT_EQ(client->share_stats(0).accepted, 2u);  // its counts carried on
}

TEST_F(ClientFailover, AReloadThatRemovesThePoolInUseMovesToTheNewFirst) {
  auto primary = make_pool();
  auto replacement = make_pool();
  start_client({primary->port()});
  ASSERT_TRUE(ready_on(0));
  submit_one();
  ASSERT_TRUE(client->update_options(testing::test_options({replacement->port()})));
  ASSERT_TRUE(ready_on(1));
  submit_one();
  EXPECT_EQ(client->share_stats(0).accepted, 1u);  // the retired pool's counts stay
  EXPECT_EQ(client->share_stats(1).accepted, 1u);
  EXPECT_FALSE(client->switch_pool(5));
}

TEST_F(ClientFailover, AnInvalidReloadChangesNothing) {
  auto primary = make_pool();
  start_client({primary->port()});
  ASSERT_TRUE(ready_on(0));
  ClientOptions bad = testing::test_options({primary->port()});
  bad.pools[0].url = "http://example.com:80";
  const auto result = client->update_options(bad);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("pools[0]"), std::string::npos) << result.error();
  EXPECT_EQ(client->pool_count(), 1u);
  testing::run_for(io, 100ms);
  EXPECT_EQ(primary->connections_total(), 1u);
  submit_one(1);
}

TEST_F(ClientFailover, NoFailbackWhilePrimaryStaysDown) {
  auto primary = make_pool();
  auto backup = make_pool();
  start_client({primary->port(), backup->port()});
  ASSERT_TRUE(ready_on(0));
  primary->stop();
  ASSERT_TRUE(ready_on(1));
  testing::run_for(io, 400ms);  // probes keep failing
  EXPECT_EQ(client->current_pool(), 1u);
  EXPECT_TRUE(client->ready());
  backup->stop();
}

TEST_F(ClientFailover, ReconnectToTheSameHostIsFollowed) {
  auto first = make_pool();
  auto second = make_pool();
  start_client({first->port()});
  ASSERT_TRUE(ready_on(0));
  first->send_reconnect("127.0.0.1", second->port(), 0);
  ASSERT_TRUE(run_until(io, [&] {
    return rec.count_state(protocol::ConnectionState::kAuthorized) == 2 && client->ready();
  }));
  EXPECT_EQ(second->connections_total(), 1u);
  EXPECT_EQ(first->connections_total(), 1u);
  submit_one();
  ASSERT_TRUE(second->wait_for_shares(1, 1s));  // recorded on DemoPool's thread
  EXPECT_EQ(second->counts().accepted, 1u);
  first->stop();
  second->stop();
}

TEST_F(ClientFailover, ReconnectWaitIsHonoured) {
  auto pool = make_pool();
  start_client({pool->port()});
  ASSERT_TRUE(ready_on(0));
  pool->send_reconnect("127.0.0.1", pool->port(), 1);
  ASSERT_TRUE(run_until(io, [&] { return !client->ready(); }));
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(
      io, [&] { return client->ready(); }, 3s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 900ms);
  pool->stop();
}

TEST_F(ClientFailover, ReconnectToAnotherHostIsRefused) {
  auto pool = make_pool();
  auto elsewhere = make_pool();
  start_client({pool->port()});
  ASSERT_TRUE(ready_on(0));
  pool->send_reconnect("localhost", elsewhere->port(), 0);  // a different host name
  pool->send_reconnect("evil.example.com", 3333, 0);
  testing::run_for(io, 200ms);
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);
  EXPECT_TRUE(client->ready());
  EXPECT_EQ(elsewhere->connections_total(), 0u);
  EXPECT_EQ(pool->connections_total(), 1u);
  submit_one();
  pool->stop();
  elsewhere->stop();
}

TEST_F(ClientFailover, ReconnectToAnotherHostWhenAllowed) {
  auto pool = make_pool();
  auto elsewhere = make_pool();
  start_client({pool->port()},
               [](ClientOptions& o) { o.pools[0].allow_reconnect_other_host = true; });
  ASSERT_TRUE(ready_on(0));
  pool->send_reconnect("localhost", elsewhere->port(), 0);
  ASSERT_TRUE(
      run_until(io, [&] { return elsewhere->connections_total() == 1 && client->ready(); }));
  pool->stop();
  elsewhere->stop();
}

}  // namespace
}  // namespace synthminer::stratum
