// Solo mining end to end, short of the devices: the stratum::Client with a
// node upstream against FakeNode serving templates recorded from Bitcoin
// Core, every submitted block judged whole by check_block (header hash
// under the target, merkle root, witness commitment, height, reward,
// payout script, the template's transactions in order).
#include <gtest/gtest.h>

#include "demo_pool/demo_pool.h"
#include "solo_test_util.h"
#include "tests/stratum/log_capture.h"

namespace synthminer::solo {
namespace {

using namespace testing;
using protocol::ConnectionState;
using protocol::ShareFate;

struct SoloMining : ::testing::Test {
  boost::asio::io_context io;
  Recorder rec;
  std::shared_ptr<NodeStatusBoard> board = std::make_shared<NodeStatusBoard>();

  std::shared_ptr<stratum::Client> start(const fake_node::FakeNode& node) {
    auto client = make_solo_client(io, options_for({node_entry(node)}), rec, board);
    client->start();
    return client;
  }
  bool wait_for_jobs(size_t n, std::chrono::milliseconds timeout = 3s) {
    return run_until(
        io, [&] { return rec.jobs.size() >= n; }, timeout);
  }
  std::string disconnect_reasons() const {
    std::string all;
    for (const auto& e : rec.states) {
      if (e.state == ConnectionState::kDisconnected) all += e.reason + "\n";
    }
    return all;
  }
};

TEST_F(SoloMining, EveryBlockOfARecordedChainPassesTheWholeCheck) {
  fake_node::FakeNode node(fake_node::FakeNodeOptions{.payout_script = payout_script()});
  node.publish_template(recorded("gbt_seq_1.json"));  // five transactions, segwit among them
  node.push_template(recorded("gbt_seq_2.json"));
  node.push_template(recorded("gbt_seq_3.json"));
  auto client = start(node);

  size_t mined = 0;
  ASSERT_TRUE(run_until(
      io,
      [&] {
        while (mined < rec.jobs.size()) {
          const protocol::WorkItem& job = rec.jobs[mined++];
          if (job.job.clean_jobs) {
            EXPECT_TRUE(mine_and_submit(*client, job));
          }
        }
        return rec.count_fate(ShareFate::kAccepted) == 3;
      },
      10s));
  const auto submissions = node.submissions();
  ASSERT_EQ(submissions.size(), 3u);
  const char* names[] = {"gbt_seq_1.json", "gbt_seq_2.json", "gbt_seq_3.json"};
  for (size_t i = 0; i < submissions.size(); ++i) {
    const auto& s = submissions[i];
    const auto tmpl = recorded(names[i]);
    EXPECT_TRUE(s.check.ok) << s.check.reason << ": " << s.check.detail;
    EXPECT_TRUE(s.answer.is_null()) << s.answer.dump();
    EXPECT_EQ(s.check.height, tmpl["height"].get<uint32_t>());
    EXPECT_EQ(s.check.payout_total, tmpl["coinbasevalue"].get<int64_t>());  // subsidy and fees
  }
  // The first block carries the template's five transactions after the coinbase.
  EXPECT_GT(submissions[0].block_hex.size(), submissions[1].block_hex.size() + 1000);
  EXPECT_EQ(rec.count_fate(ShareFate::kRejected), 0u);
  // The fake's next template, on our third block, reaches the session too.
  ASSERT_TRUE(run_until(io, [&] { return board->snapshot()[0].template_height == 115; }));
  const auto status = board->snapshot();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].chain, "regtest");
  EXPECT_EQ(status[0].blocks_accepted, 3u);
  client->stop();
}

TEST_F(SoloMining, EachJobCarriesTheTemplatesExactTarget) {
  fake_node::FakeNode node;
  const auto tmpl = recorded("gbt_empty.json");
  node.publish_template(tmpl);
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1));
  EXPECT_EQ(rec.jobs[0].share_target.to_hex(), tmpl["target"].get<std::string>());
  EXPECT_TRUE(rec.jobs[0].job.clean_jobs);
  EXPECT_EQ(rec.jobs[0].extranonce.extranonce1.size(), 0u);
  EXPECT_EQ(rec.jobs[0].extranonce.extranonce2_size, 8u);
  client->stop();
}

TEST_F(SoloMining, BlocksRollBip320VersionBitsButNoDeploymentBit) {
  fake_node::FakeNode node(fake_node::FakeNodeOptions{.payout_script = payout_script()});
  auto tmpl = recorded("gbt_empty.json");
  tmpl["vbavailable"] = {{"testdummy", 28}};  // a deployment the template could signal
  node.publish_template(tmpl);
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1));
  const protocol::WorkItem job = rec.jobs[0];  // a copy: more jobs may come
  const uint32_t version = tmpl["version"].get<uint32_t>();
  EXPECT_EQ(job.version_mask, 0x1fffe000u & ~version & ~(1u << 28));
  const uint32_t bits = 0x00ffe000u & job.version_mask;
  const auto share = find_share(job, 0, bits);
  ASSERT_TRUE(share);
  client->submit(*share, protocol::job_ref(job, 0), true);
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 1; }));
  EXPECT_EQ(rec.results[0].fate, ShareFate::kAccepted) << rec.results[0].reason;
  const auto submissions = node.submissions();  // a copy, taken under the fake's lock
  ASSERT_EQ(submissions.size(), 1u);
  const auto& block = submissions[0];
  EXPECT_TRUE(block.check.ok) << block.check.reason << ": " << block.check.detail;
  // The header's version (its first four bytes, little-endian) carries the rolled bits.
  const uint32_t sent = static_cast<uint32_t>(
      std::stoul(block.block_hex.substr(6, 2) + block.block_hex.substr(4, 2) +
                     block.block_hex.substr(2, 2) + block.block_hex.substr(0, 2),
                 nullptr, 16));
  EXPECT_EQ(sent, version | bits);
  client->stop();
}

TEST_F(SoloMining, OneBlockPerTipTheRestAreStaleAndNeverSent) {
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  node.set_delay(200ms);  // both blocks reach the session before the node answers
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1));
  const protocol::WorkItem job = rec.jobs[0];
  const auto first = find_share(job, 0);
  ASSERT_TRUE(first);
  const auto second = find_share(job, first->nonce + 1);
  ASSERT_TRUE(second);
  client->submit(*first, protocol::job_ref(job, 0), true);
  client->submit(*second, protocol::job_ref(job, 0), true);
  ASSERT_TRUE(run_until(
      io, [&] { return rec.results.size() == 2; }, 5s));
  EXPECT_EQ(rec.count_fate(ShareFate::kAccepted), 1u);
  EXPECT_EQ(rec.count_fate(ShareFate::kStale), 1u);
  EXPECT_EQ(node.submissions().size(), 1u);
  client->stop();
}

TEST_F(SoloMining, ABlockOnATipThatMovedOnIsStaleAndNotSent) {
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_seq_1.json"));
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1));
  const protocol::WorkItem old_job = rec.jobs[0];
  node.publish_template(recorded("gbt_seq_2.json"));  // a new tip, heard by long poll
  ASSERT_TRUE(wait_for_jobs(2));
  EXPECT_TRUE(rec.jobs[1].job.clean_jobs);
  ASSERT_TRUE(mine_and_submit(*client, old_job));
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 1; }));
  EXPECT_EQ(rec.results[0].fate, ShareFate::kStale);
  EXPECT_TRUE(node.submissions().empty());
  client->stop();
}

TEST_F(SoloMining, ANodesRejectionCarriesItsReason) {
  // The node pays a script other than ours: its checker answers bad-cb-payee.
  fake_node::FakeNode node(fake_node::FakeNodeOptions{.payout_script = {0x51}});
  node.publish_template(recorded("gbt_empty.json"));
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1));
  ASSERT_TRUE(mine_and_submit(*client, rec.jobs[0]));
  ASSERT_TRUE(run_until(io, [&] { return rec.results.size() == 1; }));
  EXPECT_EQ(rec.results[0].fate, ShareFate::kRejected);
  EXPECT_EQ(rec.results[0].reason, "bad-cb-payee");
  EXPECT_EQ(board->snapshot()[0].blocks_rejected.at("bad-cb-payee"), 1u);
  client->stop();
}

TEST_F(SoloMining, AMalformedTemplateEndsTheSessionNamingTheFieldThenMiningResumes) {
  fake_node::FakeNode node;
  auto bad = recorded("gbt_empty.json");
  bad["coinbasevalue"] = 0;
  node.publish_template(bad);
  auto client = start(node);
  ASSERT_TRUE(run_until(io, [&] { return rec.count_state(ConnectionState::kDisconnected) > 0; }));
  EXPECT_NE(disconnect_reasons().find("/coinbasevalue"), std::string::npos) << disconnect_reasons();
  EXPECT_TRUE(rec.jobs.empty());
  node.publish_template(recorded("gbt_empty.json"));
  EXPECT_TRUE(wait_for_jobs(1));
  client->stop();
}

TEST_F(SoloMining, ASyncingNodeIsNotReadyAndIsAskedAgain) {
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  node.fail_next(1, -10, "Bitcoin Core is in initial sync and waiting for blocks...",
                 "getblocktemplate");
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1));
  EXPECT_NE(disconnect_reasons().find("not ready (RPC error -10"), std::string::npos)
      << disconnect_reasons();
  client->stop();
}

TEST_F(SoloMining, ANodeTooSlowTimesOutAndIsRetried) {
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  node.set_delay(1500ms);  // over the 1 s request timeout
  auto client = start(node);
  ASSERT_TRUE(run_until(io, [&] { return rec.count_state(ConnectionState::kDisconnected) > 0; }));
  EXPECT_NE(disconnect_reasons().find("getblockchaininfo"), std::string::npos);
  node.set_delay(0ms);
  EXPECT_TRUE(wait_for_jobs(1, 5s));
  client->stop();
}

TEST_F(SoloMining, AnAnswerThatIsNoJsonEndsTheSessionWithoutCrashing) {
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  node.malformed_next(1);
  auto client = start(node);
  ASSERT_TRUE(wait_for_jobs(1, 5s));
  EXPECT_GE(rec.count_state(ConnectionState::kDisconnected), 1u);
  client->stop();
}

TEST_F(SoloMining, AnAddressOfAnotherChainIsRefusedNamingBoth) {
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  auto entry = node_entry(node);
  entry.coinbase_address = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";  // mainnet's
  auto client = make_solo_client(io, options_for({entry}), rec, board);
  client->start();
  ASSERT_TRUE(run_until(io, [&] { return rec.count_state(ConnectionState::kDisconnected) > 0; }));
  EXPECT_NE(disconnect_reasons().find("main address, but the node is on regtest"),
            std::string::npos)
      << disconnect_reasons();
  EXPECT_TRUE(rec.jobs.empty());
  EXPECT_EQ(node.calls("getblocktemplate"), 0u);
  client->stop();
}

TEST_F(SoloMining, WrongCredentialsAreSaidOnceAndTheNodeIsNotHammered) {
  stratum::testing::LogCapture log;
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  node.set_always_unauthorized(true);
  auto client = start(node);  // back-off 20..100 ms, but 300 ms after each refusal
  run_for(io, 1500ms);
  EXPECT_GE(node.unauthorized(), 2u);
  EXPECT_LE(node.unauthorized(), 6u);  // 1.5 s / 300 ms, plus the first
  const std::string text = log.text();
  size_t said = 0;
  for (size_t at = text.find("refused the RPC credentials"); at != std::string::npos;
       at = text.find("refused the RPC credentials", at + 1)) {
    ++said;
  }
  EXPECT_EQ(said, 1u) << text;
  EXPECT_EQ(text.find(node.password()), std::string::npos);
  client->stop();
}

TEST_F(SoloMining, ANodeThatIsDownFailsOverToTheNextNode) {
  fake_node::FakeNode backup;
  backup.publish_template(recorded("gbt_empty.json"));
  stratum::PoolOptions down = node_entry(backup);
  {
    boost::asio::ip::tcp::acceptor closed(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    down.url = "http://127.0.0.1:" + std::to_string(closed.local_endpoint().port());
  }  // nothing listens there any more
  auto client = make_solo_client(io, options_for({down, node_entry(backup)}), rec, board);
  client->start();
  ASSERT_TRUE(wait_for_jobs(1, 5s));
  EXPECT_EQ(rec.jobs[0].pool, 1u);
  EXPECT_NE(disconnect_reasons().find("getblockchaininfo: "), std::string::npos);
  client->stop();
}

TEST_F(SoloMining, APoolAndANodeFailOverToEachOtherLikeAnyTwoPools) {
  // The pool first; when it goes away, one's own node takes over.
  demo_pool::DemoPoolOptions pool_options;
  pool_options.job_interval = 0ms;
  auto pool = std::make_unique<demo_pool::DemoPool>(pool_options);
  ASSERT_TRUE(pool->start());
  fake_node::FakeNode node;
  node.publish_template(recorded("gbt_empty.json"));
  stratum::PoolOptions stratum_entry = stratum::testing::test_options({pool->port()}).pools.front();
  auto client = make_solo_client(io, options_for({stratum_entry, node_entry(node)}), rec, board);
  client->start();
  ASSERT_TRUE(wait_for_jobs(1));
  EXPECT_EQ(rec.jobs.back().pool, 0u);
  pool->stop();
  pool.reset();
  ASSERT_TRUE(run_until(
      io, [&] { return !rec.jobs.empty() && rec.jobs.back().pool == 1; }, 5s));
  EXPECT_EQ(rec.jobs.back().share_target.to_hex(),
            recorded("gbt_empty.json")["target"].get<std::string>());
  client->stop();
}

}  // namespace
}  // namespace synthminer::solo
