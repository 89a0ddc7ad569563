// DemoPool's fault injection, seen from a plain line client on loopback.
#include "demo_pool_test_util.h"

namespace synthminer::demo_pool {
namespace {

using namespace testing;  // NOLINT: the fixture and helpers of this suite
using namespace std::chrono_literals;
using nlohmann::json;

TEST_F(DemoPoolTest, GarbageAndOversizedLines) {
  start();
  auto c = connect();
  ASSERT_TRUE(pool_->wait_for_connections(1, 1s));
  pool_->send_garbage();
  const auto line = c->read_line();
  ASSERT_TRUE(line);
  EXPECT_FALSE(protocol::parse_line(*line).ok());
  pool_->send_oversized_line(100 * 1024);
  EXPECT_EQ(c->read_raw(100 * 1024), 100u * 1024);
  EXPECT_EQ(c->buffered().find('\n'), std::string::npos);
}

TEST_F(DemoPoolTest, DropConnections) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  pool_->drop_connections();
  EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(pool_->wait_for_connections(0, 1s));
  EXPECT_EQ(pool_->connections_total(), 1u);
}

TEST_F(DemoPoolTest, OverlongLineFromMinerClosesTheConnection) {
  auto o = easy_options();
  o.max_line_bytes = 1024;
  start(o);
  auto c = connect();
  c->send(std::string(4096, 'x'));
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(DemoPoolTest, ResponseDelayAndUnansweredMethods) {
  start();
  auto c = connect();
  pool_->set_response_delay(150ms);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c->response(c->request("mining.subscribe", protocol::subscribe_params("t", {}))));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
  pool_->set_response_delay(0ms);

  pool_->set_unanswered({"mining.authorize"});
  const auto id = c->request("mining.authorize", protocol::authorize_params("w", "x"));
  EXPECT_FALSE(c->response(id, 200ms));
  ASSERT_TRUE(pool_->wait_for_method("mining.authorize", 1, 1s));
  pool_->set_unanswered({});
  // The authorize was handled all the same: work arrived.
  EXPECT_TRUE(c->job || c->notification("mining.notify"));
  EXPECT_EQ(c->response(c->request("mining.extranonce.subscribe", json::array()))->result, true);

  pool_->set_unanswered({"*"});
  EXPECT_FALSE(c->response(c->request("mining.extranonce.subscribe", json::array()), 200ms));
}

TEST_F(DemoPoolTest, InjectedRejectsAreRecorded) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  pool_->set_reject_ratio(0.5, Reject::kJobNotFound);
  EXPECT_EQ(c->submit(solve(*c, 1))->result, true);
  EXPECT_EQ(error_code_of(*c->submit(solve(*c, 2))), 21);
  ASSERT_TRUE(pool_->wait_for_shares(2, 1s));
  const auto shares = pool_->shares();
  EXPECT_TRUE(shares[0].accepted);
  EXPECT_TRUE(shares[1].injected);
  EXPECT_EQ(pool_->counts().injected, 1u);
}

TEST_F(DemoPoolTest, ReconnectAndRequestsToTheMiner) {
  start();
  auto c = connect();
  ASSERT_TRUE(pool_->wait_for_connections(1, 1s));
  pool_->send_reconnect("127.0.0.1", 3333, 5);
  const auto m = c->notification("client.reconnect");
  ASSERT_TRUE(m);
  const auto rc = protocol::parse_reconnect(m->params);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->port, 3333);
  EXPECT_EQ(rc->wait_seconds, 5u);
  const uint64_t id = pool_->send_request("client.get_version", json::array());
  const auto req = c->read();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->method, "client.get_version");
  c->send(protocol::make_response(req->id, "test/1"));
  ASSERT_TRUE(pool_->wait_for_method("", 1, 1s));
  const auto got = pool_->received().back().message;
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.result, "test/1");
}

TEST_F(DemoPoolTest, DifficultyChangeAppliesFromTheNextJob) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const protocol::Job old_job = *c->job;
  pool_->set_difficulty(kEasy * 4);
  ASSERT_TRUE(c->notification("mining.set_difficulty"));
  EXPECT_DOUBLE_EQ(c->difficulty, kEasy * 4);
  // The current job keeps the old difficulty.
  c->difficulty = kEasy;
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  pool_->send_new_job(false);
  ASSERT_TRUE(c->notification("mining.notify"));
  EXPECT_FALSE(c->job->clean_jobs);
  EXPECT_EQ(c->job->prevhash, old_job.prevhash);
  c->difficulty = kEasy * 4;
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(2, 1s));
  EXPECT_DOUBLE_EQ(pool_->shares()[0].difficulty, kEasy);
  EXPECT_DOUBLE_EQ(pool_->shares()[1].difficulty, kEasy * 4);
  EXPECT_DOUBLE_EQ(pool_->difficulty(), kEasy * 4);
}

TEST_F(DemoPoolTest, SetExtranonceThenANewJob) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const auto old_en1 = c->extranonce.extranonce1;
  pool_->send_set_extranonce(2, 6);
  ASSERT_TRUE(c->notification("mining.set_extranonce"));
  EXPECT_EQ(c->extranonce.extranonce1.size(), 2u);
  EXPECT_EQ(c->extranonce.extranonce2_size, 6u);
  ASSERT_TRUE(c->notification("mining.notify"));
  EXPECT_TRUE(c->job->clean_jobs);
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(1, 1s));
  EXPECT_EQ(pool_->shares()[0].extranonce1, c->extranonce.extranonce1);
}

}  // namespace
}  // namespace synthminer::demo_pool
