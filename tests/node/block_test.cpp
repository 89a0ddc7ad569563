// Whole blocks for submitblock, read back by the format with the test's
// own reader: header, merkle root, the coinbase's witness and commitment,
// height, payout, and the template's transactions unchanged.
#include "node/block.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "node/address.h"
#include "protocol/hex.h"
#include "protocol/work.h"
#include "test_template.h"
#include "tx_reader.h"

namespace synthminer::node {
namespace {

using hashcore::Digest;

constexpr const char* kPayout = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

struct Mined {
  BlockTemplate tmpl;
  TemplateJob work;
  std::vector<uint8_t> extranonce2{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7};
  uint32_t nonce = 0;
  std::vector<uint8_t> block;
};

Digest pair_hash(const Digest& a, const Digest& b) {
  std::vector<uint8_t> cat(a.begin(), a.end());
  cat.insert(cat.end(), b.begin(), b.end());
  return hashcore::sha256d(cat);
}

// Bitcoin's merkle root, level by level, written here for the check.
Digest root_of(std::vector<Digest> level) {
  while (level.size() > 1) {
    if (level.size() % 2) level.push_back(level.back());
    std::vector<Digest> up;
    for (size_t i = 0; i < level.size(); i += 2) up.push_back(pair_hash(level[i], level[i + 1]));
    level = up;
  }
  return level.front();
}

// A regtest block: the first nonce whose header meets the template's target.
Mined mine(BlockTemplate tmpl) {
  Mined m;
  m.tmpl = std::move(tmpl);
  CoinbaseOptions options;
  options.payout_script = *output_script(kPayout, Chain::kRegtest);
  auto work = build_template_job(m.tmpl, options, "b");
  EXPECT_TRUE(work.ok()) << work.error();
  m.work = std::move(work).value();
  const auto& job = m.work.job;
  while (!hashcore::meets_target(
      hashcore::sha256d(protocol::share_header(job, m.work.extranonce, m.extranonce2, job.version,
                                               job.ntime, m.nonce)),
      m.tmpl.target)) {
    ++m.nonce;
  }
  m.block = *protocol::from_hex(
      block_hex(m.work, m.tmpl, m.extranonce2, job.version, job.ntime, m.nonce));
  return m;
}

BlockTemplate regtest_template() {
  auto parsed = parse_block_template(testing::load_template_json());
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return std::move(parsed).value();
}

// The number a scriptSig starts with: OP_1..OP_16, or a push of a
// little-endian CScriptNum (non-negative here).
int64_t leading_number(const std::vector<uint8_t>& script) {
  const uint8_t op = script.at(0);
  if (op >= 0x51 && op <= 0x60) return op - 0x50;
  int64_t v = 0;
  for (uint8_t i = 0; i < op; ++i) v |= int64_t{script.at(1u + i)} << (8 * i);
  return v;
}

TEST(Block, ASegwitBlockReadsBackWhole) {
  const Mined m = mine(regtest_template());
  testing::Reader r{m.block};
  const auto header = r.take(80);
  const Digest hash = hashcore::sha256d(header);
  EXPECT_TRUE(hashcore::meets_target(hash, m.tmpl.target));

  // The header: version, previous hash, merkle root, time, bits, nonce.
  testing::Reader h{header};
  EXPECT_EQ(h.le(4), m.tmpl.version);
  const auto prev = h.take(32);
  EXPECT_TRUE(std::equal(prev.begin(), prev.end(), m.tmpl.previous_block_hash.begin()));
  const auto merkle = h.take(32);
  EXPECT_EQ(h.le(4), m.tmpl.curtime);
  EXPECT_EQ(h.le(4), m.tmpl.bits);
  EXPECT_EQ(h.le(4), m.nonce);

  ASSERT_EQ(r.compact(), m.tmpl.transactions.size() + 1);
  const testing::Tx cb = testing::read_tx(r);
  std::vector<testing::Tx> txs;
  for (size_t i = 0; i < m.tmpl.transactions.size(); ++i) txs.push_back(testing::read_tx(r));
  EXPECT_EQ(r.pos, m.block.size());

  // The coinbase's txid is what the Stratum path hashed into the root.
  const auto stratum_coinbase = protocol::build_coinbase(m.work.job, {}, m.extranonce2);
  EXPECT_EQ(cb.stripped, stratum_coinbase);
  std::vector<Digest> txids{cb.txid()}, wtxids{Digest{}};
  for (size_t i = 0; i < txs.size(); ++i) {
    EXPECT_EQ(txs[i].full, m.tmpl.transactions[i].data) << i;
    EXPECT_EQ(txs[i].txid(), m.tmpl.transactions[i].txid) << i;
    EXPECT_EQ(txs[i].wtxid(), m.tmpl.transactions[i].wtxid) << i;
    txids.push_back(txs[i].txid());
    wtxids.push_back(txs[i].wtxid());
  }
  const Digest root = root_of(txids);
  EXPECT_TRUE(std::equal(merkle.begin(), merkle.end(), root.begin()));

  // BIP 141: one witness item, 32 bytes, and the commitment in the last
  // output that starts with 6a24aa21a9ed.
  ASSERT_TRUE(cb.has_witness);
  ASSERT_EQ(cb.inputs.size(), 1u);
  ASSERT_EQ(cb.inputs[0].witness.size(), 1u);
  const auto& reserved = cb.inputs[0].witness[0];
  ASSERT_EQ(reserved.size(), 32u);
  Digest reserved_value;
  std::copy(reserved.begin(), reserved.end(), reserved_value.begin());
  const Digest commitment = pair_hash(root_of(wtxids), reserved_value);
  const testing::TxOut* commit_out = nullptr;
  for (const auto& out : cb.outputs) {
    if (out.script.size() >= 38 &&
        protocol::to_hex(std::span(out.script.data(), 6)) == "6a24aa21a9ed") {
      commit_out = &out;
    }
  }
  ASSERT_NE(commit_out, nullptr);
  EXPECT_TRUE(std::equal(commitment.begin(), commitment.end(), commit_out->script.begin() + 6));

  // Height, payout and value.
  EXPECT_EQ(leading_number(cb.inputs[0].script_sig), 300);
  int64_t paid = 0;
  for (const auto& out : cb.outputs) paid += out.value;
  EXPECT_LE(paid, m.tmpl.coinbase_value);
  EXPECT_EQ(cb.outputs[0].script, *output_script(kPayout, Chain::kRegtest));
  EXPECT_EQ(cb.outputs[0].value, m.tmpl.coinbase_value);
}

TEST(Block, WithoutWitnessesTheCoinbaseHasNone) {
  BlockTemplate tmpl = regtest_template();
  tmpl.default_witness_commitment.reset();
  tmpl.transactions.erase(
      std::remove_if(tmpl.transactions.begin(), tmpl.transactions.end(),
                     [](const TemplateTransaction& tx) { return tx.txid != tx.wtxid; }),
      tmpl.transactions.end());
  const Mined m = mine(tmpl);
  testing::Reader r{m.block};
  const auto header = r.take(80);
  ASSERT_EQ(r.compact(), tmpl.transactions.size() + 1);
  const testing::Tx cb = testing::read_tx(r);
  EXPECT_FALSE(cb.has_witness);
  ASSERT_EQ(cb.outputs.size(), 1u);
  std::vector<Digest> txids{cb.txid()};
  for (size_t i = 0; i < tmpl.transactions.size(); ++i) txids.push_back(testing::read_tx(r).txid());
  EXPECT_EQ(r.pos, m.block.size());
  const Digest root = root_of(txids);
  EXPECT_TRUE(std::equal(root.begin(), root.end(), header.begin() + 36));
}

TEST(Block, AnEmptyTemplateIsACoinbaseOnlyBlock) {
  BlockTemplate tmpl = regtest_template();
  tmpl.transactions.clear();
  // What Core proposes for an empty block (see merkle_test.cpp).
  tmpl.default_witness_commitment = *protocol::from_hex(
      "6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9");
  const Mined m = mine(tmpl);
  testing::Reader r{m.block};
  const auto header = r.take(80);
  ASSERT_EQ(r.compact(), 1u);
  const testing::Tx cb = testing::read_tx(r);
  EXPECT_EQ(r.pos, m.block.size());
  EXPECT_TRUE(cb.has_witness);
  const Digest txid = cb.txid();
  EXPECT_TRUE(std::equal(txid.begin(), txid.end(), header.begin() + 36));
}

}  // namespace
}  // namespace synthminer::node
