#include "node/coinbase.h"

#include "node/merkle.h"
#include "node/script_num.h"
#include "node/serialize.h"

namespace synthminer::node {
namespace {

constexpr size_t kMinScriptSig = 2;  // consensus: coinbase scriptSig 2..100 bytes
constexpr size_t kMaxScriptSig = 100;
constexpr size_t kMaxPayoutScript = 10'000;  // consensus's script size limit

Error fail(const std::string& why) {
  return Error{"coinbase: " + why};
}

// Stratum sends the previous hash with each 4-byte word byte-swapped;
// protocol::build_header swaps them back.
protocol::Hash256 stratum_prevhash(const protocol::Hash256& internal) {
  protocol::Hash256 out;
  for (size_t word = 0; word < 8; ++word) {
    for (size_t i = 0; i < 4; ++i) out[4 * word + i] = internal[4 * word + 3 - i];
  }
  return out;
}

// The commitment output's script, or an empty one when the block needs
// none: no witness transactions and no commitment proposed by the node.
Result<std::vector<uint8_t>> commitment_script(const BlockTemplate& tmpl) {
  if (!tmpl.default_witness_commitment && !tmpl.has_witness_transactions()) {
    return std::vector<uint8_t>{};
  }
  std::vector<Hash256> wtxids;
  wtxids.reserve(tmpl.transactions.size());
  for (const auto& tx : tmpl.transactions) wtxids.push_back(tx.wtxid);
  auto script = witness_commitment_script(witness_commitment(witness_merkle_root(wtxids)));
  if (tmpl.default_witness_commitment && *tmpl.default_witness_commitment != script) {
    return fail("the template's default_witness_commitment differs from its transactions'");
  }
  return script;
}

void put_output(std::vector<uint8_t>& out, int64_t value, const std::vector<uint8_t>& script) {
  put_le(out, static_cast<uint64_t>(value), 8);
  put_compact_size(out, script.size());
  out.insert(out.end(), script.begin(), script.end());
}

}  // namespace

Result<TemplateJob> build_template_job(const BlockTemplate& tmpl, const CoinbaseOptions& options,
                                       std::string job_id) {
  if (options.payout_script.empty() || options.payout_script.size() > kMaxPayoutScript) {
    return fail("payout script must be 1.." + std::to_string(kMaxPayoutScript) + " bytes");
  }
  if (options.extranonce_size < 1 || options.extranonce_size > 16) {
    return fail("extranonce size must be 1..16 bytes");
  }
  if (options.tag.size() > kMaxCoinbaseTag) {
    return fail("tag longer than " + std::to_string(kMaxCoinbaseTag) + " bytes");
  }
  auto commitment = commitment_script(tmpl);
  if (!commitment) return Error{commitment.error()};

  // scriptSig before the extranonce: height, tag, then the extranonce's
  // push opcode (a length of 1..75 is its own opcode).
  std::vector<uint8_t> script_sig = bip34_height_push(tmpl.height);
  if (!options.tag.empty()) {
    script_sig.push_back(static_cast<uint8_t>(options.tag.size()));
    script_sig.insert(script_sig.end(), options.tag.begin(), options.tag.end());
  }
  script_sig.push_back(static_cast<uint8_t>(options.extranonce_size));
  const size_t script_sig_size = script_sig.size() + options.extranonce_size;
  if (script_sig_size < kMinScriptSig || script_sig_size > kMaxScriptSig) {
    return fail("scriptSig of " + std::to_string(script_sig_size) + " bytes (2..100 allowed)");
  }

  TemplateJob out;
  protocol::Job& job = out.job;
  job.job_id = std::move(job_id);
  put_le(job.coinb1, 2, 4);  // transaction version
  job.coinb1.push_back(1);   // one input
  job.coinb1.insert(job.coinb1.end(), 32, 0x00);
  put_le(job.coinb1, 0xffffffff, 4);
  put_compact_size(job.coinb1, script_sig_size);
  job.coinb1.insert(job.coinb1.end(), script_sig.begin(), script_sig.end());

  put_le(job.coinb2, 0xffffffff, 4);  // sequence
  job.coinb2.push_back(commitment->empty() ? 1 : 2);
  put_output(job.coinb2, tmpl.coinbase_value, options.payout_script);
  if (!commitment->empty()) put_output(job.coinb2, 0, *commitment);
  put_le(job.coinb2, 0, 4);  // locktime

  std::vector<Hash256> txids;
  txids.reserve(tmpl.transactions.size());
  for (const auto& tx : tmpl.transactions) txids.push_back(tx.txid);
  job.merkle_branch = coinbase_merkle_branch(txids);
  job.prevhash = stratum_prevhash(tmpl.previous_block_hash);
  job.version = tmpl.version;
  job.nbits = tmpl.bits;
  job.ntime = tmpl.curtime;
  job.clean_jobs = true;

  out.extranonce.extranonce2_size = options.extranonce_size;
  out.witness_commitment = !commitment->empty();
  return out;
}

}  // namespace synthminer::node
