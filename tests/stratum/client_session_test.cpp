// The pool client against DemoPool on loopback: the session, shares, and the
// Stratum extensions.
#include <gtest/gtest.h>

#include "client_test_util.h"
#include "demo_pool/demo_pool.h"
#include "demo_pool/demo_pool_template.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;
using testing::Recorder;
using testing::run_until;

// 2^-28: one hash in 16 meets it.
const double kEasy = demo_pool::difficulty_from_zero_bits(4);

class ClientSession : public testing::ClientAgainstDemoPool {
 protected:
  std::vector<std::string> methods_received() const {
    std::vector<std::string> out;
    for (const auto& m : pool->received()) {
      if (!m.message.method.empty()) out.push_back(m.message.method);
    }
    return out;
  }
};

TEST_F(ClientSession, FullSessionAndAcceptedShare) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kConnecting), 1u);
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kConnected), 1u);
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kAuthorized), 1u);

  const protocol::WorkItem& job = rec.jobs.back();
  EXPECT_TRUE(job.job.clean_jobs);  // the first job of a session is clean
  EXPECT_DOUBLE_EQ(job.difficulty, kEasy);
  EXPECT_EQ(job.extranonce.extranonce1.size(), 4u);
  EXPECT_EQ(job.version_mask, 0u);
  EXPECT_EQ(job.pool_name, "127.0.0.1:" + std::to_string(pool->port()));

  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  client->submit(*share, job.session);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
  EXPECT_DOUBLE_EQ(rec.results[0].difficulty, kEasy);

  const protocol::ShareStats s = client->share_stats(0);
  EXPECT_EQ(s.found, 1u);
  EXPECT_EQ(s.accepted, 1u);
  EXPECT_EQ(s.pending, 0u);
  EXPECT_DOUBLE_EQ(s.accepted_difficulty, kEasy);
  ASSERT_TRUE(pool->wait_for_shares(1, 1s));
  EXPECT_EQ(pool->counts().accepted, 1u);

  // configure only with version rolling; subscribe names us; authorize follows.
  const auto methods = methods_received();
  ASSERT_GE(methods.size(), 3u);
  EXPECT_EQ(methods[0], "mining.subscribe");
  EXPECT_EQ(methods[1], "mining.authorize");
  EXPECT_EQ(methods[2], "mining.submit");
  const auto first = pool->received().front().message;
  EXPECT_EQ(first.params[0], default_user_agent());
  EXPECT_EQ(default_user_agent().rfind("synthminer/", 0), 0u);
  EXPECT_EQ(pool->shares().at(0).worker, "tester.rig1");
}

TEST_F(ClientSession, DuplicateAndLowDifficultyRejectedWithReasons) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem& job = rec.jobs.back();
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  protocol::Share bad = *share;
  // A nonce whose hash misses the target.
  for (bad.nonce = 0;; ++bad.nonce) {
    const auto h = protocol::share_header(job.job, job.extranonce, bad.extranonce2, job.job.version,
                                          bad.ntime, bad.nonce);
    if (!hashcore::meets_target(hashcore::sha256d(h), job.share_target)) break;
  }
  client->submit(*share);  // session 0: the latest
  client->submit(bad);
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 2; }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted);
  EXPECT_EQ(rec.results[1].fate, protocol::ShareFate::kRejected);
  const protocol::ShareStats s = client->share_stats(0);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_EQ(s.rejected_by_reason.size(), 1u);
  EXPECT_TRUE(s.balanced());
}

TEST_F(ClientSession, VersionRollingSendsMaskedBits) {
  start_pool();
  start_client([](ClientOptions& o) { o.pools[0].version_rolling = true; });
  ASSERT_TRUE(run_until(io, [&] {
    return client->ready() && !rec.jobs.empty() && rec.jobs.back().version_mask != 0;
  }));
  const protocol::WorkItem& job = rec.jobs.back();
  EXPECT_EQ(job.version_mask, 0x1fffe000u);
  EXPECT_EQ(methods_received().at(0), "mining.configure");
  EXPECT_EQ(methods_received().at(1), "mining.subscribe");

  auto share = testing::find_share(job, 0, 0x00006000u);
  ASSERT_TRUE(share);
  client->submit(*share, job.session);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
  ASSERT_TRUE(pool->wait_for_shares(1, 1s));  // recorded on DemoPool's thread
  const auto records = pool->shares();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].share.version_bits, 0x00006000u);
  // On the wire: the 6th parameter is the masked bits as 8 hex digits.
  for (const auto& m : pool->received()) {
    if (m.message.method == "mining.submit") {
      ASSERT_EQ(m.message.params.size(), 6u);
      EXPECT_EQ(m.message.params[5], "00006000");
    }
  }
}

TEST_F(ClientSession, CkpoolWorkBeforeAuthorizeAndUnansweredExtensions) {
  start_pool([](demo_pool::DemoPoolOptions& o) { o.style = demo_pool::PoolStyle::kCkpool; });
  start_client([](ClientOptions& c) {
    c.request_timeout = 300ms;
    c.pools[0].version_rolling = true;
    c.pools[0].extranonce_subscribe = true;
    c.pools[0].suggest_difficulty = 1000;
  });
  ASSERT_TRUE(wait_ready());
  auto received = [&](const std::string& method) {
    const auto m = methods_received();
    return std::find(m.begin(), m.end(), method) != m.end();
  };
  ASSERT_TRUE(run_until(io, [&] { return received("mining.suggest_difficulty"); }));
  ASSERT_TRUE(run_until(io, [&] { return received("mining.extranonce.subscribe"); }));
  for (const auto& m : pool->received()) {
    if (m.message.method == "mining.suggest_difficulty") {
      EXPECT_TRUE(m.message.params[0].is_number_integer());
    }
  }
  EXPECT_EQ(rec.jobs.back().job.job_id.size(), 16u);
  EXPECT_EQ(rec.jobs.back().version_mask, 0x1fffe000u);

  // ckpool honours the suggestion with a new difficulty for the next job.
  ASSERT_TRUE(
      run_until(io, [&] { return !rec.difficulties.empty() && rec.difficulties.back() == 1000; }));

  // The unanswered extensions never hold anything up: shares still flow,
  // and the session outlives the request timeout.
  protocol::Share bad;
  bad.job_id = rec.jobs.back().job.job_id;
  bad.extranonce2.assign(rec.jobs.back().extranonce.extranonce2_size, 0);
  bad.ntime = rec.jobs.back().job.ntime;
  bad.nonce = 0;
  client->submit(bad);  // at difficulty kEasy, 1 in 16 would pass; the reason is what we want
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  if (rec.results[0].fate == protocol::ShareFate::kRejected) {
    EXPECT_EQ(rec.results[0].reason, "Above target");  // ckpool's reject-reason shape
  }
  testing::run_for(io, 400ms);
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);
}

TEST_F(ClientSession, P2poolEmptyExtranonce1) {
  start_pool([](demo_pool::DemoPoolOptions& o) { o.style = demo_pool::PoolStyle::kP2pool; });
  start_client();
  ASSERT_TRUE(wait_ready());
  EXPECT_TRUE(rec.jobs.back().extranonce.extranonce1.empty());
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  client->submit(*share);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
}

TEST_F(ClientSession, SetExtranonceReissuesTheJob) {
  start_pool();
  start_client([](ClientOptions& o) { o.pools[0].extranonce_subscribe = true; });
  ASSERT_TRUE(wait_ready());
  const auto before = rec.jobs.back().extranonce;
  const std::string before_id = rec.jobs.back().job.job_id;
  pool->send_set_extranonce(6, 8);
  // First the latest job again with the new extranonce (the client's doing),
  // then DemoPool's new clean job.
  ASSERT_TRUE(run_until(io, [&] {
    return rec.jobs.back().extranonce.extranonce2_size == 8 &&
           rec.jobs.back().job.job_id != before_id;
  }));
  const auto reissued =
      std::find_if(rec.jobs.begin(), rec.jobs.end(), [&](const protocol::WorkItem& j) {
        return j.job.job_id == before_id && j.extranonce.extranonce2_size == 8;
      });
  ASSERT_NE(reissued, rec.jobs.end());
  EXPECT_TRUE(reissued->job.clean_jobs);
  const protocol::WorkItem job = rec.jobs.back();
  EXPECT_EQ(job.extranonce.extranonce1.size(), 6u);
  EXPECT_NE(job.extranonce.extranonce1, before.extranonce1);
  EXPECT_TRUE(job.job.clean_jobs);
  auto share = testing::find_share(job);
  ASSERT_TRUE(share);
  client->submit(*share, job.session);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
}

TEST_F(ClientSession, DifficultyAppliesFromTheNextJob) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem old_job = rec.jobs.back();
  const size_t jobs_before = rec.jobs.size();
  const double harder = demo_pool::difficulty_from_zero_bits(5);
  pool->set_difficulty(harder);
  ASSERT_TRUE(run_until(io, [&] { return rec.difficulties.back() == harder; }));
  EXPECT_EQ(rec.jobs.size(), jobs_before);  // no job yet: nothing changes

  pool->send_new_job(false);
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.size() > jobs_before; }));
  const protocol::WorkItem new_job = rec.jobs.back();
  EXPECT_DOUBLE_EQ(new_job.difficulty, harder);
  EXPECT_FALSE(new_job.job.clean_jobs);  // same block, not clean

  // A share for the old job still counts at the old difficulty.
  auto share = testing::find_share(old_job);
  ASSERT_TRUE(share);
  client->submit(*share, old_job.session);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
  EXPECT_DOUBLE_EQ(client->share_stats(0).accepted_difficulty, kEasy);
}

TEST_F(ClientSession, CleanJobMakesOlderSharesStaleLocally) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem old_job = rec.jobs.back();
  const size_t n = rec.jobs.size();
  pool->send_new_job(true);
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.size() > n; }));
  EXPECT_TRUE(rec.jobs.back().job.clean_jobs);
  auto share = testing::find_share(old_job);
  ASSERT_TRUE(share);
  client->submit(*share, old_job.session);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kStale);
  EXPECT_EQ(rec.results[0].reason, "job cleaned");
  EXPECT_EQ(pool->shares().size(), 0u);  // never sent
}

TEST_F(ClientSession, PrevhashChangeIsCleanWhateverTheFlag) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  protocol::Job job = *pool->current_job();
  job.job_id = "fresh";
  job.prevhash[0] ^= 0xff;  // a new block, announced as not clean
  const size_t n = rec.jobs.size();
  pool->send_line(protocol::json{{"id", nullptr},
                                 {"method", "mining.notify"},
                                 {"params", demo_pool::notify_params(job, false)}}
                      .dump());
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.size() > n; }));
  EXPECT_EQ(rec.jobs.back().job.job_id, "fresh");
  EXPECT_TRUE(rec.jobs.back().job.clean_jobs);

  job.job_id = "refresh";  // same block again, not clean: stays not clean
  pool->send_line(protocol::json{{"id", nullptr},
                                 {"method", "mining.notify"},
                                 {"params", demo_pool::notify_params(job, false)}}
                      .dump());
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.back().job.job_id == "refresh"; }));
  EXPECT_FALSE(rec.jobs.back().job.clean_jobs);
}

TEST_F(ClientSession, SetVersionMaskReissuesTheJob) {
  start_pool();
  start_client([](ClientOptions& o) { o.pools[0].version_rolling = true; });
  ASSERT_TRUE(run_until(io, [&] {
    return client->ready() && !rec.jobs.empty() && rec.jobs.back().version_mask != 0;
  }));
  const std::string id = rec.jobs.back().job.job_id;
  pool->send_notification("mining.set_version_mask", protocol::json::array({"00006000"}));
  ASSERT_TRUE(run_until(io, [&] { return rec.jobs.back().version_mask == 0x00006000u; }));
  EXPECT_EQ(rec.jobs.back().job.job_id, id);
  EXPECT_TRUE(rec.jobs.back().job.clean_jobs);
}

TEST_F(ClientSession, AnswersPingVersionAndLogsMessages) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  const uint64_t ping = pool->send_request("mining.ping", protocol::json::array());
  const uint64_t version = pool->send_request("client.get_version", protocol::json::array());
  pool->send_notification("client.show_message",
                          protocol::json::array({"maintenance at noon\x1b[31m"}));
  std::optional<protocol::json> pong, agent;
  ASSERT_TRUE(run_until(io, [&] {
    for (const auto& m : pool->received()) {
      if (m.message.kind != protocol::Incoming::Kind::kResponse) continue;
      if (m.message.id == ping) pong = m.message.result;
      if (m.message.id == version) agent = m.message.result;
    }
    return pong && agent;
  }));
  EXPECT_EQ(*pong, "pong");
  EXPECT_EQ(*agent, default_user_agent());
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kDisconnected), 0u);
}

TEST_F(ClientSession, SubmitFromAnotherThread) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  const protocol::WorkItem job = rec.jobs.back();
  std::vector<protocol::Share> shares;
  for (uint8_t fill = 0; fill < 8; ++fill) {
    auto s = testing::find_share(job, 0, std::nullopt, fill);
    ASSERT_TRUE(s);
    shares.push_back(*s);
  }
  std::thread worker([&] {
    for (const protocol::Share& s : shares) client->submit(s, job.session);
  });
  // The snapshot is readable from here while the io loop runs shares.
  ASSERT_TRUE(run_until(io, [&] {
    EXPECT_TRUE(client->share_stats(0).balanced());
    return rec.results.size() == shares.size();
  }));
  worker.join();
  EXPECT_EQ(client->share_stats(0).accepted, shares.size());
}

TEST(ClientCreate, BadOptionsAreErrors) {
  boost::asio::io_context io;
  Recorder rec;
  ClientOptions o;
  EXPECT_FALSE(Client::create(io, o, rec));
  o = testing::test_options({3333});
  o.pools[0].url = "http://x:1";
  EXPECT_NE(Client::create(io, o, rec).error().find("pools[0]"), std::string::npos);
  o = testing::test_options({3333});
  o.pools[0].tls_insecure = true;  // TLS options on a TCP pool
  EXPECT_FALSE(Client::create(io, o, rec));
  o = testing::test_options({3333});
  o.pools[0].url = "stratum+ssl://x:1";
  o.pools[0].tls_fingerprint_sha256 = "abcd";
  EXPECT_FALSE(Client::create(io, o, rec));
  o.pools[0].tls_fingerprint_sha256 = std::string(64, 'a');
  EXPECT_TRUE(Client::create(io, o, rec));
  o.pools[0].user.clear();
  EXPECT_FALSE(Client::create(io, o, rec));
}

TEST(ClientCreate, ANodeEntryNeedsTheSoloModuleAnAddressAndCredentials) {
  boost::asio::io_context io;
  Recorder rec;
  NodeUpstream node;  // never called: create() only checks
  ClientOptions o = testing::test_options({3333});
  o.pools[0].url = "http://127.0.0.1:18443";
  o.pools[0].coinbase_address = "bcrt1qexample";
  auto without_solo = Client::create(io, o, rec);
  ASSERT_FALSE(without_solo);
  EXPECT_NE(without_solo.error().find("node"), std::string::npos) << without_solo.error();
  EXPECT_TRUE(Client::create(io, o, rec, node));

  o.pools[0].coinbase_address.clear();
  auto no_address = Client::create(io, o, rec, node);
  ASSERT_FALSE(no_address);
  EXPECT_NE(no_address.error().find("coinbase_address"), std::string::npos) << no_address.error();

  o.pools[0].coinbase_address = "bcrt1qexample";
  o.pools[0].user.clear();
  auto no_credentials = Client::create(io, o, rec, node);
  ASSERT_FALSE(no_credentials);
  EXPECT_NE(no_credentials.error().find("cookie_file"), std::string::npos);
  o.pools[0].cookie_file = "/var/lib/bitcoind/regtest/.cookie";
  EXPECT_TRUE(Client::create(io, o, rec, node));

  o.pools[0].version_rolling = true;  // Stratum's, not a node's
  EXPECT_FALSE(Client::create(io, o, rec, node));
}

TEST(ClientCreate, ANodesKeysOnAStratumPoolAreRefused) {
  boost::asio::io_context io;
  Recorder rec;
  ClientOptions o = testing::test_options({3333});
  o.pools[0].coinbase_address = "bc1qexample";
  auto refused = Client::create(io, o, rec, NodeUpstream{});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("coinbase_address and cookie_file are for a node"),
            std::string::npos)
      << refused.error();
}

}  // namespace
}  // namespace synthminer::stratum
