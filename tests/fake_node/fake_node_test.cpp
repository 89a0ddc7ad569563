// FakeNode over HTTP, with a plain Beast client: auth, Core's error shapes,
// getblocktemplate's segwit rule and long polls, submitblock judging blocks
// and advancing the chain, and the scripted faults.
#include "tests/fake_node/fake_node.h"

#include <gtest/gtest.h>

#include <future>

#include "tests/fake_node/test_blocks.h"
#include "tests/fake_node/test_client.h"

namespace synthminer::fake_node {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Recorded from Bitcoin Core (data/README.md): a template with segwit
// transactions, then three for consecutive heights.
constexpr const char* kSegwitTemplate = "gbt_segwit_txs.json";
constexpr const char* kSequence[] = {"gbt_seq_1.json", "gbt_seq_2.json", "gbt_seq_3.json"};

const json kSegwitRules = json::array({json{{"rules", {"segwit"}}}});

json longpoll_params(const std::string& id) {
  return json::array({json{{"rules", {"segwit"}}, {"longpollid", id}}});
}

class FakeNodeTest : public ::testing::Test {
 protected:
  FakeNodeTest() {
    FakeNodeOptions options;
    options.payout_script = testing::payout_script();
    node_ = std::make_unique<FakeNode>(options);
    node_->publish_template(testing::load_json(kSegwitTemplate));
  }

  testing::TestClient client() const {
    return testing::TestClient(node_->port(),
                               testing::basic_auth(node_->user(), node_->password()));
  }
  json template_over_http() {
    const auto reply = client().call("getblocktemplate", kSegwitRules);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.json()["result"];
  }

  std::unique_ptr<FakeNode> node_;
};

TEST_F(FakeNodeTest, GetBlockchainInfoAnswersWithTheRightCredentials) {
  auto c = client();
  const auto reply = c.call("getblockchaininfo");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const json body = reply.json();
  EXPECT_TRUE(body["error"].is_null());
  EXPECT_EQ(body["id"], 1);
  const json& info = body["result"];
  const json tmpl = node_->current_template();
  EXPECT_EQ(info["chain"], "regtest");
  EXPECT_EQ(info["blocks"], tmpl["height"].get<uint32_t>() - 1);
  EXPECT_EQ(info["bestblockhash"], tmpl["previousblockhash"]);
  EXPECT_EQ(info["initialblockdownload"], false);
  EXPECT_EQ(c.call("getblockcount").json()["result"], node_->block_count());
  EXPECT_EQ(node_->calls("getblockchaininfo"), 1u);
  EXPECT_EQ(node_->calls("getblockcount"), 1u);
  EXPECT_EQ(node_->unauthorized(), 0u);
}

TEST_F(FakeNodeTest, ChainInfoAgreesWithWhatCoreAnsweredForTheSameTip) {
  const json info = client().call("getblockchaininfo").json()["result"];
  const json recorded = testing::load_json("getblockchaininfo.json");
  for (const char* key : {"chain", "blocks", "headers", "bestblockhash", "bits", "target",
                          "initialblockdownload", "pruned"}) {
    EXPECT_EQ(info[key], recorded[key]) << key;
  }
}

TEST_F(FakeNodeTest, WrongOrMissingCredentialsGet401WithAnEmptyBody) {
  for (const std::string& auth :
       {testing::basic_auth(node_->user(), "wrong"), std::string(), std::string("Bearer x")}) {
    const auto reply = testing::TestClient(node_->port(), auth).call("getblockchaininfo");
    EXPECT_EQ(reply.status, 401u);
    EXPECT_TRUE(reply.body.empty());
  }
  EXPECT_EQ(node_->unauthorized(), 3u);
  EXPECT_EQ(node_->calls("getblockchaininfo"), 0u);
}

TEST_F(FakeNodeTest, AlwaysUnauthorizedRefusesTheRightCredentialsToo) {
  node_->set_always_unauthorized(true);
  EXPECT_EQ(client().call("getblockchaininfo").status, 401u);
  node_->set_always_unauthorized(false);
  EXPECT_EQ(client().call("getblockchaininfo").status, 200u);
}

TEST_F(FakeNodeTest, ConnectionsAreKeptAlive) {
  auto c = client();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.call("getblockcount").status, 200u);
  EXPECT_EQ(node_->connections(), 1u);
}

TEST_F(FakeNodeTest, GetBlockTemplateWithoutTheSegwitRuleIsRefusedLikeCore) {
  auto c = client();
  for (const json& params :
       {json::array(), json::array({json::object()}), json::array({json{{"rules", {"csv"}}}})}) {
    const auto reply = c.call("getblocktemplate", params);
    EXPECT_EQ(reply.status, 500u);
    const json body = reply.json();
    EXPECT_TRUE(body["result"].is_null());
    EXPECT_EQ(body["error"]["code"], -8);
    EXPECT_NE(body["error"]["message"].get<std::string>().find("segwit"), std::string::npos);
  }
  const json tmpl = template_over_http();
  EXPECT_EQ(tmpl, node_->current_template());
  EXPECT_EQ(tmpl["longpollid"], node_->current_longpollid());
}

TEST_F(FakeNodeTest, AnUnknownMethodIs404WithCoreError) {
  const auto reply = client().call("getnewaddress");
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(reply.json()["error"]["code"], -32601);
}

TEST_F(FakeNodeTest, NotJsonIsAParseError) {
  const auto reply = client().post("{not json");
  EXPECT_EQ(reply.status, 500u);
  EXPECT_EQ(reply.json()["error"]["code"], -32700);
}

TEST_F(FakeNodeTest, LongPollsAreHeldUntilANewTemplateIsPublished) {
  const std::string id = node_->current_longpollid();
  std::vector<std::future<testing::HttpReply>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::async(std::launch::async, [&] {
      return client().call("getblocktemplate", longpoll_params(id), 10s);
    }));
  }
  ASSERT_TRUE(node_->wait_for_held_longpolls(2, 5s));
  EXPECT_EQ(held[0].wait_for(50ms), std::future_status::timeout);
  const json next = testing::load_json(kSequence[1]);
  node_->publish_template(next);
  for (auto& f : held) {
    const auto reply = f.get();
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const json tmpl = reply.json()["result"];
    EXPECT_EQ(tmpl["previousblockhash"], next["previousblockhash"]);
    EXPECT_NE(tmpl["longpollid"], id);
  }
  EXPECT_EQ(node_->held_longpolls(), 0u);
}

TEST_F(FakeNodeTest, AHeldLongPollAnswersTheSameTemplateAfterTheHoldTime) {
  node_->set_longpoll_hold(150ms);
  const std::string id = node_->current_longpollid();
  const auto start = Clock::now();
  const auto reply = client().call("getblocktemplate", longpoll_params(id));
  EXPECT_GE(Clock::now() - start, 150ms);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.json()["result"]["longpollid"], id);
}

TEST_F(FakeNodeTest, ALongPollOnAnOldIdAnswersAtOnce) {
  const auto reply = client().call("getblocktemplate", longpoll_params("stale"), 2s);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.json()["result"]["longpollid"], node_->current_longpollid());
  EXPECT_EQ(node_->held_longpolls(), 0u);
}

TEST_F(FakeNodeTest, AGoodBlockIsAcceptedAndTheNextTemplateServed) {
  const json next = testing::load_json(kSequence[1]);
  node_->push_template(next);
  const std::string id = node_->current_longpollid();
  auto held = std::async(std::launch::async, [&] {
    return client().call("getblocktemplate", longpoll_params(id), 10s);
  });
  ASSERT_TRUE(node_->wait_for_held_longpolls(1, 5s));

  const std::string block = testing::mine(testing::parse(template_over_http()));
  const auto reply = client().call("submitblock", json::array({block}));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_TRUE(reply.json()["result"].is_null()) << reply.body;

  ASSERT_TRUE(node_->wait_for_submissions(1, 1s));
  const auto subs = node_->submissions();
  EXPECT_EQ(subs[0].block_hex, block);
  EXPECT_TRUE(subs[0].check.ok) << subs[0].check.reason;
  EXPECT_TRUE(subs[0].answer.is_null());
  EXPECT_EQ(held.get().json()["result"]["previousblockhash"], next["previousblockhash"]);
  EXPECT_EQ(template_over_http()["height"], next["height"]);
}

TEST_F(FakeNodeTest, WithNothingQueuedTheChainGrowsOnTheAcceptedBlock) {
  const uint32_t height = node_->current_template()["height"];
  std::string last_hash;
  for (int i = 0; i < 2; ++i) {
    const std::string block = testing::mine(testing::parse(template_over_http()));
    const auto reply = client().call("submitblock", json::array({block}));
    EXPECT_TRUE(reply.json()["result"].is_null()) << reply.body;
    last_hash = node_->submissions().back().check.block_hash;
  }
  const json tmpl = template_over_http();
  EXPECT_EQ(tmpl["height"], height + 2);
  EXPECT_EQ(tmpl["previousblockhash"], last_hash);
  EXPECT_TRUE(tmpl["transactions"].empty());
  EXPECT_EQ(client().call("getblockcount").json()["result"], height + 1);
}

TEST_F(FakeNodeTest, ABadBlockGetsItsReasonAndTheChainStays) {
  const json before = node_->current_template();
  std::vector<uint8_t> other = testing::payout_script();
  other.back() ^= 1;
  const std::string block = testing::mine(testing::parse(before), other);
  const auto reply = client().call("submitblock", json::array({block}));
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.json()["result"], "bad-cb-payee");
  EXPECT_EQ(node_->submissions().at(0).check.reason, "bad-cb-payee");
  EXPECT_EQ(node_->current_template(), before);
}

TEST_F(FakeNodeTest, TheSameBlockTwiceIsADuplicate) {
  const std::string block = testing::mine(testing::parse(template_over_http()));
  auto c = client();
  EXPECT_TRUE(c.call("submitblock", json::array({block})).json()["result"].is_null());
  EXPECT_EQ(c.call("submitblock", json::array({block})).json()["result"], "duplicate");
}

TEST_F(FakeNodeTest, AGoodBlockOnAnOlderTemplateIsInconclusive) {
  const std::string stale = testing::mine(testing::parse(template_over_http()));
  node_->publish_template(testing::load_json(kSequence[1]));
  const auto reply = client().call("submitblock", json::array({stale}));
  EXPECT_EQ(reply.json()["result"], "inconclusive");
  EXPECT_TRUE(node_->submissions().at(0).check.ok);
  EXPECT_EQ(node_->current_template()["previousblockhash"],
            testing::load_json(kSequence[1])["previousblockhash"]);
}

TEST_F(FakeNodeTest, AProposalIsJudgedWithoutBeingAccepted) {
  const json tmpl = template_over_http();
  const std::string good = testing::mine(testing::parse(tmpl));
  const std::string late = testing::mine(testing::parse(tmpl), testing::payout_script(), true);
  auto c = client();
  const auto propose = [&](const std::string& block) {
    return c
        .call("getblocktemplate",
              json::array({json{{"rules", {"segwit"}}, {"mode", "proposal"}, {"data", block}}}))
        .json()["result"];
  };
  EXPECT_TRUE(propose(good).is_null());
  EXPECT_EQ(propose(late), "high-hash");
  EXPECT_TRUE(node_->submissions().empty());
  EXPECT_EQ(node_->current_template(), tmpl);
}

TEST_F(FakeNodeTest, AnUndecodableBlockIsAnRpcError) {
  const auto reply = client().call("submitblock", json::array({"00ff"}));
  EXPECT_EQ(reply.status, 500u);
  EXPECT_EQ(reply.json()["error"]["code"], -22);
  EXPECT_EQ(reply.json()["error"]["message"], "Block decode failed");
}

TEST_F(FakeNodeTest, ScriptedErrorsHitTheNamedMethodOnly) {
  node_->fail_next(2, -10, "Loading block index...", "getblocktemplate");
  auto c = client();
  EXPECT_EQ(c.call("getblockcount").status, 200u);
  for (int i = 0; i < 2; ++i) {
    const auto reply = c.call("getblocktemplate", kSegwitRules);
    EXPECT_EQ(reply.status, 500u);
    EXPECT_EQ(reply.json()["error"]["code"], -10);
    EXPECT_EQ(reply.json()["error"]["message"], "Loading block index...");
  }
  EXPECT_EQ(c.call("getblocktemplate", kSegwitRules).status, 200u);
  EXPECT_EQ(node_->calls("getblocktemplate"), 3u);
}

TEST_F(FakeNodeTest, MalformedAnswersAreNotJson) {
  node_->malformed_next(1);
  auto c = client();
  const auto reply = c.call("getblockcount");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_TRUE(reply.json().is_discarded());
  EXPECT_FALSE(c.call("getblockcount").json().is_discarded());
}

TEST_F(FakeNodeTest, ADelayHoldsEveryAnswer) {
  node_->set_delay(150ms);
  const auto start = Clock::now();
  EXPECT_EQ(client().call("getblockcount").status, 200u);
  EXPECT_GE(Clock::now() - start, 150ms);
}

TEST_F(FakeNodeTest, ATimedOutClientLeavesTheNodeServing) {
  node_->set_delay(300ms);
  EXPECT_EQ(client().call("getblockcount", json::array(), 50ms).status, 0u);
  node_->set_delay(0ms);
  EXPECT_EQ(client().call("getblockcount").status, 200u);
}

TEST(FakeNodeChain, TheRecordedSequenceAdvancesBlockByBlock) {
  FakeNodeOptions options;
  options.payout_script = testing::payout_script();
  FakeNode node(options);
  node.publish_template(testing::load_json(kSequence[0]));
  node.push_template(testing::load_json(kSequence[1]));
  node.push_template(testing::load_json(kSequence[2]));
  testing::TestClient c(node.port(), testing::basic_auth(node.user(), node.password()));
  for (int i = 0; i < 3; ++i) {
    const json recorded = testing::load_json(kSequence[i]);
    const json served = c.call("getblocktemplate", kSegwitRules).json()["result"];
    EXPECT_EQ(served["previousblockhash"], recorded["previousblockhash"]) << i;
    EXPECT_EQ(served["height"], recorded["height"]) << i;
    const std::string block = testing::mine(testing::parse(served));
    EXPECT_TRUE(c.call("submitblock", json::array({block})).json()["result"].is_null()) << i;
  }
  ASSERT_EQ(node.submissions().size(), 3u);
  for (const auto& s : node.submissions()) EXPECT_TRUE(s.check.ok) << s.check.reason;
  EXPECT_EQ(c.call("getblockcount").json()["result"],
            testing::load_json(kSequence[2])["height"].get<uint32_t>());
}

}  // namespace
}  // namespace synthminer::fake_node
