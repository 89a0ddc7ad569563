// Jobs built from templates: the coinbase read back by the format, the
// merkle branch and previous hash in the order the Stratum path hashes
// them (checked end to end on mainnet block 100000), and the refusals.
#include "node/coinbase.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "node/address.h"
#include "node/script_num.h"
#include "protocol/hex.h"
#include "protocol/work.h"
#include "test_template.h"
#include "tx_reader.h"

namespace synthminer::node {
namespace {

using protocol::from_hex;
using protocol::to_hex;

constexpr const char* kPayout = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

BlockTemplate regtest_template() {
  auto parsed = parse_block_template(testing::load_template_json());
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return std::move(parsed).value();
}

CoinbaseOptions regtest_options() {
  CoinbaseOptions options;
  options.payout_script = *output_script(kPayout, Chain::kRegtest);
  return options;
}

protocol::Hash256 from_display(std::string_view hex) {
  const auto bytes = *from_hex(hex);
  protocol::Hash256 h;
  std::reverse_copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

TEST(Coinbase, ReadsBackAsACoinbasePayingTheTemplate) {
  const BlockTemplate tmpl = regtest_template();
  const auto work = build_template_job(tmpl, regtest_options(), "j1");
  ASSERT_TRUE(work.ok()) << work.error();
  EXPECT_EQ(work->job.job_id, "j1");
  EXPECT_TRUE(work->extranonce.extranonce1.empty());
  EXPECT_EQ(work->extranonce.extranonce2_size, 8u);
  EXPECT_TRUE(work->witness_commitment);

  const std::vector<uint8_t> en2{1, 2, 3, 4, 5, 6, 7, 8};
  const auto bytes = protocol::build_coinbase(work->job, {}, en2);
  const testing::Tx cb = testing::read_tx(bytes);
  EXPECT_FALSE(cb.has_witness);  // the txid's serialization
  EXPECT_EQ(cb.version, 2u);
  ASSERT_EQ(cb.inputs.size(), 1u);
  EXPECT_EQ(to_hex(cb.inputs[0].prevout), std::string(64, '0') + "ffffffff");
  EXPECT_EQ(cb.inputs[0].sequence, 0xffffffffu);
  EXPECT_EQ(cb.locktime, 0u);

  // scriptSig: height 300 (push of 2c01), the tag, the extranonce's push.
  const auto& sig = cb.inputs[0].script_sig;
  const std::string tag = "/synthminer/";
  EXPECT_EQ(to_hex(sig),
            "022c01"
            "0c" +
                to_hex(std::vector<uint8_t>(tag.begin(), tag.end())) +
                "08"
                "0102030405060708");
  EXPECT_GE(sig.size(), 2u);
  EXPECT_LE(sig.size(), 100u);

  ASSERT_EQ(cb.outputs.size(), 2u);
  EXPECT_EQ(cb.outputs[0].value, tmpl.coinbase_value);
  EXPECT_EQ(to_hex(cb.outputs[0].script), "0014751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(cb.outputs[1].value, 0);
  EXPECT_EQ(cb.outputs[1].script, *tmpl.default_witness_commitment);
}

TEST(Coinbase, JobNumbersComeFromTheTemplate) {
  const BlockTemplate tmpl = regtest_template();
  const auto work = build_template_job(tmpl, regtest_options(), "j");
  ASSERT_TRUE(work.ok()) << work.error();
  EXPECT_EQ(work->job.version, tmpl.version);
  EXPECT_EQ(work->job.nbits, 0x207fffffu);
  EXPECT_EQ(work->job.ntime, tmpl.curtime);
  EXPECT_TRUE(work->job.clean_jobs);
  // The header holds the previous hash in internal order (RPC's reversed).
  const auto header = protocol::build_header(work->job, {}, 0, 0, 0);
  EXPECT_TRUE(std::equal(tmpl.previous_block_hash.begin(), tmpl.previous_block_hash.end(),
                         header.begin() + 4));
}

TEST(Coinbase, MinesMainnetBlock100000ThroughTheStratumPath) {
  // Block 100000's header numbers and its three non-coinbase txids; with
  // its real coinbase in place of ours, share_header must hash to the
  // block's hash: prevhash order, merkle branch, version, bits and time.
  BlockTemplate tmpl;
  tmpl.version = 1;
  tmpl.previous_block_hash =
      from_display("000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250");
  for (const char* txid : {"fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
                           "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
                           "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d"}) {
    TemplateTransaction tx;
    tx.txid = tx.wtxid = from_display(txid);
    tx.data = {0x00};
    tmpl.transactions.push_back(tx);
  }
  tmpl.coinbase_value = 5000000000;
  tmpl.bits = 0x1b04864c;
  tmpl.curtime = 1293623863;
  tmpl.height = 100000;
  auto work = build_template_job(tmpl, regtest_options(), "100000");
  ASSERT_TRUE(work.ok()) << work.error();
  EXPECT_FALSE(work->witness_commitment);  // no witnesses, no commitment proposed

  work->job.coinb1 = *from_hex(
      "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff08044c8604"
      "1b020602ffffffff0100f2052a010000004341041b0e8c2567c12536aa13357b79a073dc4444acb83c4ec7a0e2f9"
      "9dd7457516c5817242da796924ca4e99947d087fedf9ce467cb9f7c6287078f801df276fdf84ac00000000");
  work->job.coinb2.clear();
  const auto header = protocol::share_header(work->job, {}, {}, 1, 1293623863, 274148111);
  EXPECT_EQ(protocol::display_hex(hashcore::sha256d(header)),
            "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506");
}

TEST(Coinbase, NoCommitmentWithoutWitnesses) {
  BlockTemplate tmpl = regtest_template();
  tmpl.default_witness_commitment.reset();
  tmpl.transactions.erase(
      std::remove_if(tmpl.transactions.begin(), tmpl.transactions.end(),
                     [](const TemplateTransaction& tx) { return tx.txid != tx.wtxid; }),
      tmpl.transactions.end());
  ASSERT_FALSE(tmpl.transactions.empty());
  const auto work = build_template_job(tmpl, regtest_options(), "j");
  ASSERT_TRUE(work.ok()) << work.error();
  EXPECT_FALSE(work->witness_commitment);
  const auto cb =
      testing::read_tx(protocol::build_coinbase(work->job, {}, std::vector<uint8_t>(8)));
  ASSERT_EQ(cb.outputs.size(), 1u);
}

TEST(Coinbase, CommitsToWitnessesEvenWithoutTheNodesProposal) {
  BlockTemplate tmpl = regtest_template();
  const auto proposed = *tmpl.default_witness_commitment;
  tmpl.default_witness_commitment.reset();
  const auto work = build_template_job(tmpl, regtest_options(), "j");
  ASSERT_TRUE(work.ok()) << work.error();
  const auto cb =
      testing::read_tx(protocol::build_coinbase(work->job, {}, std::vector<uint8_t>(8)));
  ASSERT_EQ(cb.outputs.size(), 2u);
  EXPECT_EQ(cb.outputs[1].script, proposed);
}

TEST(Coinbase, ExtranonceSizesAndTags) {
  const BlockTemplate tmpl = regtest_template();
  for (uint32_t size : {1u, 4u, 16u}) {
    CoinbaseOptions options = regtest_options();
    options.extranonce_size = size;
    options.tag.clear();
    const auto work = build_template_job(tmpl, options, "j");
    ASSERT_TRUE(work.ok()) << work.error();
    const auto cb =
        testing::read_tx(protocol::build_coinbase(work->job, {}, std::vector<uint8_t>(size, 0xee)));
    EXPECT_EQ(to_hex(cb.inputs[0].script_sig),
              "022c01" + to_hex(std::vector<uint8_t>{static_cast<uint8_t>(size)}) +
                  to_hex(std::vector<uint8_t>(size, 0xee)));
  }
}

TEST(Coinbase, Refusals) {
  const BlockTemplate tmpl = regtest_template();
  CoinbaseOptions options = regtest_options();
  options.extranonce_size = 0;
  EXPECT_FALSE(build_template_job(tmpl, options, "j").ok());
  options.extranonce_size = 17;
  EXPECT_FALSE(build_template_job(tmpl, options, "j").ok());
  options = regtest_options();
  options.tag = std::string(kMaxCoinbaseTag + 1, 't');
  EXPECT_FALSE(build_template_job(tmpl, options, "j").ok());
  options = regtest_options();
  options.payout_script.clear();
  EXPECT_FALSE(build_template_job(tmpl, options, "j").ok());

  BlockTemplate wrong = tmpl;
  wrong.default_witness_commitment->back() ^= 1;
  const auto work = build_template_job(wrong, regtest_options(), "j");
  ASSERT_FALSE(work.ok());
  EXPECT_NE(work.error().find("default_witness_commitment differs"), std::string::npos);
}

}  // namespace
}  // namespace synthminer::node
