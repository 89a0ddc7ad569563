// check_block on templates recorded from Bitcoin Core (data/README.md) and
// on node_test's synthesized one: a block node/ assembles passes, and each
// broken variant fails with the reason Core (or we) would give. Each
// variant is mined from a changed template, so the block is consistent in
// itself and wrong only in the one way the test names.
#include "tests/fake_node/block_checker.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/hex.h"
#include "tests/fake_node/block_reader.h"
#include "tests/fake_node/test_blocks.h"

namespace synthminer::fake_node {
namespace {

using testing::mine;
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
  void expect_reason(const std::string& block_hex, const std::string& reason) const {
    const CheckResult r = check(block_hex);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.reason, reason) << r.detail;
    EXPECT_FALSE(r.detail.empty());
  }
  // The index of a template transaction with a witness, or -1.
  int segwit_tx() const {
    for (size_t i = 0; i < tmpl_.transactions.size(); ++i) {
      if (tmpl_.transactions[i].txid != tmpl_.transactions[i].wtxid) return static_cast<int>(i);
    }
    return -1;
  }

  nlohmann::json gbt_;
  node::BlockTemplate tmpl_;
};

TEST_P(CheckBlock, AnAssembledBlockPasses) {
  const std::string hex = mine(tmpl_);
  const CheckResult r = check(hex);
  ASSERT_TRUE(r.ok) << r.reason << ": " << r.detail;
  EXPECT_EQ(r.height, tmpl_.height);
  EXPECT_EQ(r.payout_total, tmpl_.coinbase_value);
  const auto bytes = *protocol::from_hex(hex);
  EXPECT_EQ(r.block_hash, rpc_hex(hash256(std::span(bytes).first(80))));
  EXPECT_TRUE(r.reason.empty());
}

TEST_P(CheckBlock, AnUndecodableBlockFails) {
  const std::string hex = mine(tmpl_);
  expect_reason(hex.substr(0, hex.size() - 2), "block-decode-failed");
  expect_reason(hex + "00", "block-decode-failed");
  expect_reason("zz", "block-decode-failed");
}

TEST_P(CheckBlock, AHashOverTheTargetFails) {
  expect_reason(mine(tmpl_, payout_script(), /*miss_target=*/true), "high-hash");
}

TEST_P(CheckBlock, HarderBitsTheHashMissesFail) {
  node::BlockTemplate t = tmpl_;
  t.bits = 0x1d00ffff;  // mainnet's first target; the nonce search keeps regtest's
  expect_reason(mine(t), "high-hash");
}

TEST_P(CheckBlock, AnotherPreviousHashFails) {
  node::BlockTemplate t = tmpl_;
  t.previous_block_hash[0] ^= 1;
  expect_reason(mine(t), "prev-blk-not-found");
}

TEST_P(CheckBlock, ATimeBeforeMintimeFails) {
  node::BlockTemplate t = tmpl_;
  t.curtime = tmpl_.mintime - 1;
  expect_reason(mine(t), "time-too-old");
}

TEST_P(CheckBlock, AVersionWithoutTheTopBitsFails) {
  node::BlockTemplate t = tmpl_;
  t.version = 4;
  expect_reason(mine(t), "bad-version");
}

TEST_P(CheckBlock, AChangedCoinbaseBreaksTheMerkleRoot) {
  std::string hex = mine(tmpl_);
  // The tag "/synthminer/" in the coinbase's scriptSig, in hex.
  const auto at = hex.find("2f73796e74686d696e65722f");
  ASSERT_NE(at, std::string::npos);
  hex[at + 3] = hex[at + 3] == '0' ? '1' : '0';
  // The header is unchanged, so its proof of work still holds.
  expect_reason(hex, "bad-txnmrklroot");
}

TEST_P(CheckBlock, TheWrongHeightFails) {
  node::BlockTemplate t = tmpl_;
  t.height += 1;
  expect_reason(mine(t), "bad-cb-height");
}

TEST_P(CheckBlock, MoreThanTheRewardFails) {
  node::BlockTemplate t = tmpl_;
  t.coinbase_value += 1;
  expect_reason(mine(t), "bad-cb-amount");
}

TEST_P(CheckBlock, AnotherPayeeFails) {
  std::vector<uint8_t> other = payout_script();
  other.back() ^= 1;
  expect_reason(mine(tmpl_, other), "bad-cb-payee");
}

// The variants that change a template transaction, for templates with some.
class CheckBlockWithTransactions : public CheckBlock {};

TEST_P(CheckBlockWithTransactions, AChangedTemplateTransactionFails) {
  node::BlockTemplate t = tmpl_;
  auto& tx = t.transactions.back();
  tx.data[tx.data.size() - 4] ^= 1;  // the locktime: still a transaction
  std::string error;
  const auto read = read_transaction(tx.data, error);
  ASSERT_TRUE(read) << error;
  tx.txid = hash256(read->stripped);
  tx.wtxid = hash256(read->raw);
  t.default_witness_commitment.reset();  // node/ computes it again
  expect_reason(mine(t), "bad-txns-template");
}

TEST_P(CheckBlockWithTransactions, DroppingATemplateTransactionFails) {
  node::BlockTemplate t = tmpl_;
  t.transactions.pop_back();
  t.default_witness_commitment.reset();
  expect_reason(mine(t), "bad-txns-template");
}

TEST_P(CheckBlockWithTransactions, AWrongWitnessCommitmentFails) {
  const int i = segwit_tx();
  ASSERT_GE(i, 0) << "no segwit transaction in " << GetParam();
  node::BlockTemplate t = tmpl_;
  t.transactions[static_cast<size_t>(i)].wtxid[0] ^= 1;  // node/ commits to a wrong wtxid
  t.default_witness_commitment.reset();
  expect_reason(mine(t), "bad-witness-merkle-match");
}

INSTANTIATE_TEST_SUITE_P(Templates, CheckBlock,
                         ::testing::Values("gbt_segwit_txs.json", "gbt_empty.json",
                                           "../../node/data/template_regtest_segwit.json"),
                         fixture_name);
INSTANTIATE_TEST_SUITE_P(Templates, CheckBlockWithTransactions,
                         ::testing::Values("gbt_segwit_txs.json",
                                           "../../node/data/template_regtest_segwit.json"),
                         fixture_name);

}  // namespace
}  // namespace synthminer::fake_node
