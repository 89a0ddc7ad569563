// check_block on templates recorded from Bitcoin Core (data/README.md) and
// on node_test's synthesized one: a block node/ assembles passes, and each
// broken variant of block_variants.h fails with the reason Core (or we)
// would give. Core's own verdicts on the recorded variants were kept by
// record.sh (data/core_verdicts.json): ours must agree where the rule is Core's.
#include "tests/fake_node/block_checker.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "protocol/hex.h"
#include "tests/fake_node/block_reader.h"
#include "tests/fake_node/test_blocks.h"

namespace synthminer::fake_node {
namespace {

using testing::payout_script;

// A test name from a fixture's path: "gbt_empty", "template_regtest_segwit".
std::string fixture_name(const ::testing::TestParamInfo<const char*>& info) {
  std::string name = info.param;
  name = name.substr(name.rfind('/') + 1);
  return name.substr(0, name.find('.'));
}

class CheckBlock : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    gbt_ = testing::load_json(GetParam());
    tmpl_ = testing::parse(gbt_);
  }
  CheckResult check(const std::string& block_hex) const {
    return check_block(block_hex, gbt_, payout_script());
  }

  nlohmann::json gbt_;
  node::BlockTemplate tmpl_;
};

TEST_P(CheckBlock, AnAssembledBlockPasses) {
  const std::string hex = testing::mine(tmpl_);
  const CheckResult r = check(hex);
  ASSERT_TRUE(r.ok) << r.reason << ": " << r.detail;
  EXPECT_TRUE(r.reason.empty());
  EXPECT_EQ(r.height, tmpl_.height);
  EXPECT_EQ(r.payout_total, tmpl_.coinbase_value);
  const auto bytes = *protocol::from_hex(hex);
  EXPECT_EQ(r.block_hash, rpc_hex(hash256(std::span(bytes).first(80))));
}

TEST_P(CheckBlock, AnUndecodableBlockFails) {
  const std::string hex = testing::mine(tmpl_);
  for (const std::string& bad : {hex.substr(0, hex.size() - 2), hex + "00", std::string("zz")}) {
    const CheckResult r = check(bad);
    EXPECT_EQ(r.reason, "block-decode-failed") << r.detail;
  }
}

TEST_P(CheckBlock, EachBrokenVariantFailsWithItsReason) {
  const auto variants = block_variants(tmpl_, payout_script());
  for (const BlockVariant& v : variants) {
    SCOPED_TRACE(v.name);
    ASSERT_FALSE(v.hex.empty());
    const CheckResult r = check(v.hex);
    EXPECT_EQ(r.ok, v.reason.empty());
    EXPECT_EQ(r.reason, v.reason) << r.detail;
    EXPECT_EQ(r.detail.empty(), v.reason.empty()) << r.detail;
  }
  // The variants that need transactions are there when the template has some.
  const size_t with_txs = tmpl_.transactions.empty() ? 0 : tmpl_.has_witness_transactions() ? 3 : 2;
  EXPECT_EQ(variants.size(), 10u + with_txs);
}

TEST_P(CheckBlock, AnyPayeeWhenNoneIsSet) {
  std::vector<uint8_t> other = payout_script();
  other.back() ^= 1;
  EXPECT_TRUE(check_block(testing::mine(tmpl_, other), gbt_, {}).ok);
}

INSTANTIATE_TEST_SUITE_P(Templates, CheckBlock,
                         ::testing::Values("gbt_segwit_txs.json", "gbt_empty.json",
                                           "../../node/data/template_regtest_segwit.json"),
                         fixture_name);

// Core's verdict on the variants of gbt_segwit_txs.json, recorded by
// record.sh against the node that made the template: submitblock's answer
// (or, for what Core accepts, a proposal's, so the chain did not move).
TEST(CheckBlockAgainstCore, OursAgreesWithCoreWhereTheRuleIsCore) {
  const nlohmann::json recorded = testing::load_json("core_verdicts.json");
  const nlohmann::json gbt = testing::load_json("gbt_segwit_txs.json");
  ASSERT_EQ(recorded["previousblockhash"], gbt["previousblockhash"]) << "record both in one run";
  const auto variants = block_variants(testing::parse(gbt), payout_script());
  std::set<std::string> seen;
  for (const BlockVariant& v : variants) {
    SCOPED_TRACE(v.name);
    ASSERT_TRUE(recorded["verdicts"].contains(v.name));
    const nlohmann::json& core = recorded["verdicts"][v.name];
    EXPECT_EQ(core["block_sha256d"], rpc_hex(hash256(*protocol::from_hex(v.hex))))
        << "node/ now builds another block; record again";
    const std::string core_reason = core["answer"].is_null() ? "" : core["answer"];
    if (v.ours_only) {
      EXPECT_NE(core_reason, v.reason) << "Core knows this rule after all";
    } else {
      EXPECT_EQ(check_block(v.hex, gbt, payout_script()).reason, core_reason);
    }
    seen.insert(v.name);
  }
  EXPECT_EQ(seen.size(), recorded["verdicts"].size());
}

TEST(CheckBlockAgainstCore, CoreBuiltTheNextTemplateOnOurGoodBlock) {
  const nlohmann::json gbt = testing::load_json("gbt_segwit_txs.json");
  const CheckResult r = check_block(block_variants(testing::parse(gbt), payout_script()).at(0).hex,
                                    gbt, payout_script());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(testing::load_json("gbt_seq_2.json")["previousblockhash"], r.block_hash);
}

}  // namespace
}  // namespace synthminer::fake_node
