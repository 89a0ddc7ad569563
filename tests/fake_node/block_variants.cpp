#include "tests/fake_node/block_variants.h"

#include <functional>

#include "hashcore/scan.h"
#include "node/block.h"
#include "node/coinbase.h"
#include "protocol/work.h"
#include "tests/fake_node/block_reader.h"

namespace synthminer::fake_node {
namespace {

using node::BlockTemplate;

// A transaction changed in its locktime: still well formed, other ids.
void change_last_transaction(BlockTemplate& t) {
  auto& tx = t.transactions.back();
  tx.data[tx.data.size() - 4] ^= 1;
  std::string error;
  const auto read = read_transaction(tx.data, error);
  if (!read) return;
  tx.txid = hash256(read->stripped);
  tx.wtxid = hash256(read->raw);
  t.default_witness_commitment.reset();  // node/ computes it again
}

// Commits to a wrong wtxid of the first segwit transaction.
void break_witness_commitment(BlockTemplate& t) {
  for (auto& tx : t.transactions) {
    if (tx.txid != tx.wtxid) {
      tx.wtxid[0] ^= 1;
      break;
    }
  }
  t.default_witness_commitment.reset();
}

bool has_segwit_tx(const BlockTemplate& t) {
  for (const auto& tx : t.transactions) {
    if (tx.txid != tx.wtxid) return true;
  }
  return false;
}

// The tag "/synthminer/" in the coinbase's scriptSig changed after mining:
// the header (and its proof of work) stays, its merkle root no longer fits.
std::string with_changed_coinbase(std::string hex) {
  const auto at = hex.find("2f73796e74686d696e65722f");
  if (at != std::string::npos) hex[at + 3] = hex[at + 3] == '0' ? '1' : '0';
  return hex;
}

struct Change {
  const char* name;
  const char* reason;
  bool ours_only;
  std::function<void(BlockTemplate&)> apply;
};

std::vector<Change> changes() {
  return {
      {"harder-bits", "high-hash", false, [](BlockTemplate& t) { t.bits = 0x1d00ffff; }},
      {"other-prev", "prev-blk-not-found", false,
       [](BlockTemplate& t) { t.previous_block_hash[0] ^= 1; }},
      {"before-mintime", "time-too-old", false,
       [](BlockTemplate& t) { t.curtime = t.mintime - 1; }},
      {"version-3", "bad-version(0x00000003)", false, [](BlockTemplate& t) { t.version = 3; }},
      {"wrong-height", "bad-cb-height", false, [](BlockTemplate& t) { t.height += 1; }},
      {"over-reward", "bad-cb-amount", false, [](BlockTemplate& t) { t.coinbase_value += 1; }},
  };
}

}  // namespace

std::string mine_block(const BlockTemplate& tmpl, const std::vector<uint8_t>& payout,
                       bool miss_target) {
  node::CoinbaseOptions options;
  options.payout_script = payout;
  auto work = node::build_template_job(tmpl, options, "t");
  if (!work.ok()) return {};
  const auto& job = work->job;
  const std::vector<uint8_t> extranonce2(options.extranonce_size, 0x5a);
  uint32_t nonce = 0;
  while (hashcore::meets_target(
             hashcore::sha256d(protocol::share_header(job, work->extranonce, extranonce2,
                                                      job.version, job.ntime, nonce)),
             tmpl.target) == miss_target) {
    ++nonce;
  }
  return node::block_hex(*work, tmpl, extranonce2, job.version, job.ntime, nonce);
}

std::vector<BlockVariant> block_variants(const BlockTemplate& tmpl,
                                         const std::vector<uint8_t>& payout) {
  const std::string good = mine_block(tmpl, payout);
  std::vector<BlockVariant> out{
      {"good", "", false, good},
      {"miss-target", "high-hash", false, mine_block(tmpl, payout, true)},
      {"changed-coinbase", "bad-txnmrklroot", false, with_changed_coinbase(good)}};
  for (const Change& c : changes()) {
    BlockTemplate t = tmpl;
    c.apply(t);
    out.push_back({c.name, c.reason, c.ours_only, mine_block(t, payout)});
  }
  std::vector<uint8_t> other = payout;
  other.back() ^= 1;
  out.push_back({"other-payee", "bad-cb-payee", true, mine_block(tmpl, other)});
  if (tmpl.transactions.empty()) return out;
  BlockTemplate changed = tmpl;
  change_last_transaction(changed);
  out.push_back({"changed-tx", "bad-txns-template", true, mine_block(changed, payout)});
  BlockTemplate dropped = tmpl;
  dropped.transactions.pop_back();
  dropped.default_witness_commitment.reset();
  out.push_back({"dropped-tx", "bad-txns-template", true, mine_block(dropped, payout)});
  if (!has_segwit_tx(tmpl)) return out;
  BlockTemplate witness = tmpl;
  break_witness_commitment(witness);
  out.push_back(
      {"wrong-commitment", "bad-witness-merkle-match", false, mine_block(witness, payout)});
  return out;
}

}  // namespace synthminer::fake_node
