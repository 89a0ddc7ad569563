// DemoPool against a plain line client on loopback: the session, share
// validation and the pool styles; and validate_share on its own.
#include "demo_pool_test_util.h"

namespace synthminer::demo_pool {
namespace {

using namespace testing;  // NOLINT: the fixture and helpers of this suite
using namespace std::chrono_literals;
using nlohmann::json;

TEST_F(DemoPoolTest, SubscribeResultIsNestedWithDistinctExtranonce1) {
  start();
  auto a = connect();
  auto b = connect();
  const auto ra = a->response(a->request("mining.subscribe", protocol::subscribe_params("t", {})));
  const auto rb = b->response(b->request("mining.subscribe", protocol::subscribe_params("t", {})));
  ASSERT_TRUE(ra && rb);
  const protocol::json& r = ra->result;
  ASSERT_TRUE(r.is_array() && r.size() == 3) << r.dump();
  EXPECT_EQ(r[0][0][0], "mining.set_difficulty");
  EXPECT_EQ(r[0][1][0], "mining.notify");
  EXPECT_EQ(r[1].get<std::string>().size(), 8u);
  EXPECT_EQ(r[2], 4);
  EXPECT_NE(r[1], rb->result[1]);
  EXPECT_TRUE(pool_->wait_for_connections(2, 1s));
}

TEST_F(DemoPoolTest, AuthorizeThenDifficultyAndNotify) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  EXPECT_DOUBLE_EQ(c->difficulty, kEasy);
  ASSERT_TRUE(c->job);
  EXPECT_TRUE(c->job->clean_jobs);
  EXPECT_EQ(c->job->version, 0x20000000u);
  EXPECT_EQ(c->job->merkle_branch.size(), 3u);
  EXPECT_NEAR(static_cast<double>(c->job->ntime), static_cast<double>(now_ntime()), 5);
  EXPECT_EQ(pool_->current_job()->job_id, c->job->job_id);
}

TEST_F(DemoPoolTest, ValidShareAcceptedThenDuplicate) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const protocol::Share share = solve(*c);
  const auto first = c->submit(share);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->result, true) << first->error;
  EXPECT_TRUE(first->error.empty());
  const auto again = c->submit(share);
  ASSERT_TRUE(again);
  EXPECT_EQ(error_code_of(*again), 22) << again->error;

  ASSERT_TRUE(pool_->wait_for_shares(2, 1s));
  const auto shares = pool_->shares();
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_TRUE(shares[0].accepted);
  EXPECT_GE(shares[0].hash_difficulty, kEasy);
  EXPECT_EQ(shares[0].worker, "alice.rig1");
  EXPECT_EQ(shares[1].reject, Reject::kDuplicate);
  EXPECT_EQ(pool_->counts().accepted, 1u);
  EXPECT_EQ(pool_->counts().rejected, 1u);
}

TEST_F(DemoPoolTest, RejectionsCarryTheirCodes) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const protocol::Share good = solve(*c);

  protocol::Share unknown_job = good;
  unknown_job.job_id = "nope";
  EXPECT_EQ(error_code_of(*c->submit(unknown_job)), 21);

  protocol::Share early = good;
  early.ntime = c->job->ntime - 1;
  auto r = c->submit(early);
  EXPECT_EQ(error_code_of(*r), 20);
  EXPECT_NE(r->error.find("Ntime out of range"), std::string::npos) << r->error;
  protocol::Share late = good;
  late.ntime = c->job->ntime + kMaxNtimeRoll + 1;
  EXPECT_EQ(error_code_of(*c->submit(late)), 20);

  protocol::Share low = good;
  low.nonce = find_nonce(*c->job, c->extranonce, low, c->difficulty, c->job->version, false);
  EXPECT_EQ(error_code_of(*c->submit(low)), 23);

  EXPECT_EQ(error_code_of(*c->submit(good, "mallory")), 24);

  protocol::Share short_en2 = good;
  short_en2.extranonce2.pop_back();
  EXPECT_EQ(error_code_of(*c->submit(short_en2)), 20);

  protocol::Share rolled = good;
  rolled.version_bits = 0x00002000;  // no mask was negotiated
  r = c->submit(rolled);
  EXPECT_NE(r->error.find("Invalid version mask"), std::string::npos) << r->error;

  // None of those spent the good share.
  EXPECT_EQ(c->submit(good)->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(8, 1s));
  const auto shares = pool_->shares();
  EXPECT_EQ(shares[0].reject, Reject::kJobNotFound);
  EXPECT_EQ(shares[3].reject, Reject::kLowDifficulty);
  EXPECT_EQ(shares[4].reject, Reject::kUnauthorized);
  EXPECT_EQ(shares[5].reject, Reject::kExtranonce2Size);
  EXPECT_EQ(shares[6].reject, Reject::kInvalidVersionMask);
  EXPECT_TRUE(shares[7].accepted);
}

TEST_F(DemoPoolTest, MalformedSubmitAndUnsubscribedSubmit) {
  start();
  auto c = connect();
  auto r = c->response(c->request("mining.submit", json::array({"w", "1", "00", "zz", "1"})));
  ASSERT_TRUE(r);
  EXPECT_EQ(error_code_of(*r), 20);
  protocol::Share s;
  s.job_id = "1";
  s.extranonce2 = {0, 0, 0, 0};
  EXPECT_EQ(error_code_of(*c->submit(s)), 25);
}

TEST_F(DemoPoolTest, ConfigureGrantsRequestedMaskWithinPoolMask) {
  start();
  auto c = connect();
  auto r = c->response(c->request("mining.configure", protocol::configure_params(0x00ffe000)));
  ASSERT_TRUE(r);
  auto conf = protocol::parse_configure_result(r->result);
  ASSERT_TRUE(conf.ok()) << conf.error();
  EXPECT_TRUE(conf->version_rolling);
  EXPECT_EQ(conf->mask, 0x00ffe000u);
  ASSERT_TRUE(c->handshake());
  const protocol::Share rolled = solve(*c, 1, 0x00006000, conf->mask);
  EXPECT_EQ(c->submit(rolled)->result, true);
  protocol::Share outside = rolled;
  outside.version_bits = 0x10000000;  // in the pool's mask, not the granted one
  EXPECT_EQ(error_code_of(*c->submit(outside)), 20);
}

TEST_F(DemoPoolTest, ExtensionsAndUnknownMethods) {
  start();
  auto c = connect();
  EXPECT_EQ(c->response(c->request("mining.extranonce.subscribe", json::array()))->result, true);
  auto r = c->response(c->request("mining.get_transactions", json::array({"1"})));
  ASSERT_TRUE(r);
  EXPECT_EQ(error_code_of(*r), 20);
  EXPECT_NE(r->error.find("Not supported."), std::string::npos);
  EXPECT_EQ(c->response(c->request("mining.suggest_difficulty", json::array({0.5})))->result, true);
  ASSERT_TRUE(c->handshake());
  EXPECT_DOUBLE_EQ(c->difficulty, 0.5);
}

TEST_F(DemoPoolTest, ConfiguredUsersOnly) {
  auto o = easy_options();
  o.users = {{"alice", "secret"}};
  start(o);
  auto c = connect();
  c->response(c->request("mining.subscribe", protocol::subscribe_params("t", {})));
  EXPECT_EQ(c->response(c->request("mining.authorize", protocol::authorize_params("bob", "secret")))
                ->result,
            false);
  EXPECT_EQ(
      c->response(c->request("mining.authorize", protocol::authorize_params("alice.rig", "wrong")))
          ->result,
      false);
  EXPECT_EQ(
      c->response(c->request("mining.authorize", protocol::authorize_params("alice.rig", "secret")))
          ->result,
      true);
}

TEST_F(DemoPoolTest, ZeroBitsSetTheDifficulty) {
  auto o = easy_options();
  o.zero_bits = 40;
  start(o);
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  EXPECT_DOUBLE_EQ(c->difficulty, 256.0);
}

TEST_F(DemoPoolTest, JobsRotateWithANewPreviousHash) {
  auto o = easy_options();
  o.job_interval = 50ms;
  start(o);
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const protocol::Job first = *c->job;
  ASSERT_TRUE(c->notification("mining.notify", 1s));
  EXPECT_NE(c->job->job_id, first.job_id);
  EXPECT_NE(c->job->prevhash, first.prevhash);
  EXPECT_TRUE(c->job->clean_jobs);
  // The old job is gone after a clean one.
  protocol::Share stale = solve(*c);
  stale.job_id = first.job_id;
  EXPECT_EQ(error_code_of(*c->submit(stale)), 21);
}

TEST_F(DemoPoolTest, CountsBlocks) {
  auto o = easy_options();
  o.nbits = 0x207fffff;  // regtest: easier than the share target, so every share is a block
  start(o);
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(1, 1s));
  EXPECT_EQ(pool_->counts().blocks, 1u);
  EXPECT_TRUE(pool_->shares()[0].block);
}

// ---- pool styles ----

TEST_F(DemoPoolTest, CkpoolStyle) {
  auto o = easy_options();
  o.style = PoolStyle::kCkpool;
  start(o);
  auto c = connect();
  const auto sub = c->response(c->request("mining.subscribe", protocol::subscribe_params("t", {})));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->result[0].size(), 1u);
  EXPECT_EQ(sub->result[0][0][0], "mining.notify");
  // Work arrives before any authorize.
  ASSERT_TRUE(c->notification("mining.notify"));
  EXPECT_EQ(c->job->job_id.size(), 16u);
  c->extranonce = protocol::parse_subscribe_result(sub->result)->extranonce;
  // Configure grants the pool's mask whatever was asked.
  auto conf = c->response(c->request("mining.configure", protocol::configure_params(0x00002000)));
  EXPECT_EQ(conf->result["version-rolling.mask"], "1fffe000");
  // Unknown methods go unanswered.
  c->request("mining.extranonce.subscribe", json::array());
  const auto auth = c->request("mining.authorize", protocol::authorize_params("w", "x"));
  const auto r = c->response(auth);
  ASSERT_TRUE(r);  // the extranonce.subscribe reply never came first
  protocol::Share low = solve(*c);
  low.nonce = find_nonce(*c->job, c->extranonce, low, c->difficulty, c->job->version, false);
  const auto rej = c->submit(low, "w");
  ASSERT_TRUE(rej);
  EXPECT_EQ(rej->result, false);
  EXPECT_EQ(rej->error, "Above target");
}

TEST_F(DemoPoolTest, P2poolStyleFlatSubscribe) {
  auto o = easy_options();
  o.style = PoolStyle::kP2pool;
  start(o);
  auto c = connect();
  const auto sub = c->response(c->request("mining.subscribe", protocol::subscribe_params("t", {})));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->result[0][0], "mining.notify");
  EXPECT_EQ(sub->result[1], "");
  ASSERT_TRUE(c->handshake());
  EXPECT_TRUE(c->extranonce.extranonce1.empty());
  EXPECT_EQ(c->submit(solve(*c))->result, true);
}

// ---- faults ----

TEST_F(DemoPoolTest, StopsQuicklyWithOpenConnections) {
  start();
  auto a = connect();
  auto b = connect();
  ASSERT_TRUE(a->handshake());
  ASSERT_TRUE(pool_->wait_for_connections(2, 1s));
  pool_->set_response_delay(10s);
  a->request("mining.extranonce.subscribe", json::array());
  const auto t0 = std::chrono::steady_clock::now();
  pool_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  EXPECT_TRUE(a->wait_closed());
  EXPECT_TRUE(b->wait_closed());
  pool_->stop();  // idempotent
}

TEST(DemoPoolConfig, BadOptionsAreErrors) {
  DemoPoolOptions o;
  o.extranonce2_size = 0;
  auto r = DemoPool(o).start();
  EXPECT_FALSE(r.ok());
  o = {};
  o.difficulty = -1;
  EXPECT_FALSE(DemoPool(o).start().ok());
  o = {};
  o.nbits = 0x21800000;
  EXPECT_FALSE(DemoPool(o).start().ok());
}

// ---- validate_share without a socket ----

class DemoPoolValidateShare : public ::testing::Test {
 protected:
  void SetUp() override {
    TemplateOptions t;
    t.nbits = 0x1d00ffff;
    BlockTemplate tpl(t, 7);
    job_ = tpl.next_job(true, 1700000000);
    en_ = {{1, 2, 3, 4}, 4};
    share_.job_id = job_.job_id;
    share_.extranonce2 = {0, 0, 0, 9};
    share_.ntime = job_.ntime + 10;
    share_.nonce = find_nonce(job_, en_, share_, kEasy, job_.version);
  }
  ShareCheck check(const protocol::Share& s, uint32_t mask = 0) {
    return validate_share(job_, en_, s, kEasy, mask);
  }
  protocol::Job job_;
  protocol::Extranonce en_;
  protocol::Share share_;
};

TEST_F(DemoPoolValidateShare, AcceptsAValidShare) {
  const auto c = check(share_);
  EXPECT_EQ(c.reject, Reject::kNone);
  EXPECT_GE(c.hash_difficulty, kEasy);
  EXPECT_FALSE(c.block);
  const auto header = protocol::share_header(job_, en_, share_.extranonce2, job_.version,
                                             share_.ntime, share_.nonce);
  EXPECT_EQ(c.hash, hashcore::sha256d(header));
}

TEST_F(DemoPoolValidateShare, EachReason) {
  protocol::Share s = share_;
  s.extranonce2 = {0, 0, 9};
  EXPECT_EQ(check(s).reject, Reject::kExtranonce2Size);
  s = share_;
  s.ntime = job_.ntime + kMaxNtimeRoll;
  EXPECT_NE(check(s).reject, Reject::kNtimeOutOfRange);
  s.ntime = job_.ntime + kMaxNtimeRoll + 1;
  EXPECT_EQ(check(s).reject, Reject::kNtimeOutOfRange);
  s = share_;
  s.version_bits = 0x20000000;
  EXPECT_EQ(check(s, 0x1fffe000).reject, Reject::kInvalidVersionMask);
  s = share_;
  s.nonce = find_nonce(job_, en_, s, kEasy, job_.version, false);
  EXPECT_EQ(check(s).reject, Reject::kLowDifficulty);
  // Rolled version bits change the header: the same nonce almost surely fails.
  s = share_;
  s.version_bits = 0x00002000;
  s.nonce = find_nonce(job_, en_, s, kEasy, job_.version | 0x00002000);
  EXPECT_EQ(check(s, 0x1fffe000).reject, Reject::kNone);
}

TEST_F(DemoPoolValidateShare, ABlockMeetsNbits) {
  job_.nbits = 0x207fffff;  // nbits is in the header: solve again
  share_.nonce = find_nonce(job_, en_, share_, kEasy, job_.version);
  const auto c = check(share_);
  EXPECT_EQ(c.reject, Reject::kNone);
  EXPECT_TRUE(c.block);
  job_.nbits = 0x1d00ffff;
  share_.nonce = find_nonce(job_, en_, share_, kEasy, job_.version);
  EXPECT_FALSE(check(share_).block);
}

TEST(DemoPoolShare, ParseSubmitAndReasons) {
  auto ok = parse_submit(json::array({"w", "j", "0a0b", "6553f100", "0000002a", "00002000"}));
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok->worker, "w");
  EXPECT_EQ(ok->share.extranonce2, (std::vector<uint8_t>{10, 11}));
  EXPECT_EQ(ok->share.nonce, 42u);
  EXPECT_EQ(ok->share.version_bits, 0x2000u);
  EXPECT_FALSE(parse_submit(json::array({"w", "j", "0a0", "6553f100", "0000002a"})).ok());
  EXPECT_FALSE(parse_submit(json::array({"w", "j", "0a0b", "6553f1", "0000002a"})).ok());
  EXPECT_FALSE(parse_submit(json::array({"w", "j"})).ok());
  EXPECT_EQ(reject_code(Reject::kDuplicate), 22);
  EXPECT_EQ(reject_message(Reject::kJobNotFound), "Job not found");
  EXPECT_EQ(ckpool_reason(Reject::kLowDifficulty), "Above target");
  EXPECT_DOUBLE_EQ(difficulty_from_zero_bits(32), 1.0);
  EXPECT_DOUBLE_EQ(difficulty_from_zero_bits(16), 1.0 / 65536);
}

}  // namespace
}  // namespace synthminer::demo_pool
