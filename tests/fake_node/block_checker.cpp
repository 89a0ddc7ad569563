#include "tests/fake_node/block_checker.h"

#include <algorithm>
#include <optional>

#include "protocol/hex.h"
#include "tests/fake_node/block_reader.h"

namespace synthminer::fake_node {
namespace {

using nlohmann::json;

// A failure, or nothing when the check passed.
using Failure = std::optional<std::pair<std::string, std::string>>;

constexpr uint32_t kMaxFutureSeconds = 2 * 60 * 60;  // Core's MAX_FUTURE_BLOCK_TIME
constexpr uint8_t kCommitmentPrefix[] = {0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed};

Failure fail(std::string reason, std::string detail) {
  return std::make_pair(std::move(reason), std::move(detail));
}

std::string hex(std::span<const uint8_t> bytes) {
  return protocol::to_hex(bytes);
}

std::string hex32(uint32_t v) {
  return protocol::hex_u32(v);
}

// The template's fields the checks read, converted once.
struct Expected {
  Hash prev_hash{};
  uint32_t bits = 0;
  uint32_t mintime = 0;
  uint32_t curtime = 0;
  uint32_t vbrequired = 0;
  uint32_t height = 0;
  int64_t coinbase_value = 0;
  std::vector<Bytes> transactions;
};

Hash hash_from_rpc(const std::string& text) {
  const auto bytes = protocol::from_hex(text);
  if (!bytes || bytes->size() != 32) throw std::runtime_error("a hash that is not 32 hex bytes");
  Hash h{};
  std::reverse_copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

Expected read_template(const json& t) {
  Expected e;
  e.prev_hash = hash_from_rpc(t.at("previousblockhash").get<std::string>());
  const auto bits = protocol::parse_hex_u32(t.at("bits").get<std::string>());
  if (!bits) throw std::runtime_error("bits is not 8 hex digits");
  e.bits = *bits;
  e.mintime = t.at("mintime").get<uint32_t>();
  e.curtime = t.at("curtime").get<uint32_t>();
  e.vbrequired = t.value("vbrequired", uint32_t{0});
  e.height = t.at("height").get<uint32_t>();
  e.coinbase_value = t.at("coinbasevalue").get<int64_t>();
  for (const json& tx : t.at("transactions")) {
    const auto data = protocol::from_hex(tx.at("data").get<std::string>());
    if (!data) throw std::runtime_error("a transaction's data is not hex");
    e.transactions.push_back(*data);
  }
  return e;
}

// The target `bits` encodes, big-endian; nullopt for a negative or
// overflowing encoding (Core's fNegative / fOverflow) or zero.
std::optional<Hash> target_from_bits(uint32_t bits) {
  const int exponent = static_cast<int>(bits >> 24);
  const uint32_t mantissa = bits & 0x007fffff;
  if ((bits & 0x00800000) || mantissa == 0) return std::nullopt;
  Hash target{};
  for (int i = 0; i < 3; ++i) {
    const uint8_t byte = static_cast<uint8_t>(mantissa >> (8 * i));
    const int pos = 32 - exponent + (2 - i);  // index from the big end
    if (pos < 0) {
      if (byte != 0) return std::nullopt;
    } else if (pos < 32) {
      target[static_cast<size_t>(pos)] = byte;
    }
  }
  return target;
}

Failure check_pow(const Header& h, const std::string& block_hash) {
  const auto target = target_from_bits(h.bits);
  if (!target) return fail("high-hash", "bits " + hex32(h.bits) + " is no valid target");
  Hash big_endian = hash256(h.raw);
  std::reverse(big_endian.begin(), big_endian.end());
  if (big_endian > *target) {
    return fail("high-hash", "hash " + block_hash + " over the target of bits " + hex32(h.bits));
  }
  return std::nullopt;
}

Failure check_header(const Header& h, const Expected& e) {
  if (h.prev_hash != e.prev_hash) {
    return fail("prev-blk-not-found",
                "previous hash " + rpc_hex(h.prev_hash) + ", template " + rpc_hex(e.prev_hash));
  }
  if (h.bits != e.bits) {
    return fail("bad-diffbits", "bits " + hex32(h.bits) + ", template " + hex32(e.bits));
  }
  if (h.time < e.mintime) {
    return fail("time-too-old",
                "time " + std::to_string(h.time) + " < mintime " + std::to_string(e.mintime));
  }
  if (h.time > e.curtime + kMaxFutureSeconds) {
    return fail("time-too-new", "time " + std::to_string(h.time) + " over curtime + 2 h");
  }
  // BIP 34, 66 and 65 are active from height 1 on regtest: version 4 at least.
  if (static_cast<int32_t>(h.version) < 4)
    return fail("bad-version(0x" + hex32(h.version) + ")", "version under 4");
  if ((h.version & e.vbrequired) != e.vbrequired) {
    return fail("bad-vbrequired", "version " + hex32(h.version) + " lacks the template's bits " +
                                      hex32(e.vbrequired));
  }
  return std::nullopt;
}

Hash merkle_root(std::vector<Hash> level) {
  if (level.empty()) return Hash{};
  while (level.size() > 1) {
    if (level.size() % 2) level.push_back(level.back());
    std::vector<Hash> up;
    for (size_t i = 0; i < level.size(); i += 2) {
      Bytes pair(level[i].begin(), level[i].end());
      pair.insert(pair.end(), level[i + 1].begin(), level[i + 1].end());
      up.push_back(hash256(pair));
    }
    level = std::move(up);
  }
  return level.front();
}

Failure check_merkle_root(const Block& b) {
  std::vector<Hash> txids;
  for (const Tx& tx : b.transactions) txids.push_back(hash256(tx.stripped));
  const Hash root = merkle_root(txids);
  if (root != b.header.merkle_root) {
    return fail("bad-txnmrklroot",
                "header " + rpc_hex(b.header.merkle_root) + ", transactions give " + rpc_hex(root));
  }
  return std::nullopt;
}

// `CScript() << height`: OP_0, OP_1..OP_16, or a minimal CScriptNum push.
Bytes height_push(uint32_t height) {
  if (height == 0) return {0x00};
  if (height <= 16) return {static_cast<uint8_t>(0x50 + height)};
  Bytes num;
  for (uint64_t v = height; v; v >>= 8) num.push_back(static_cast<uint8_t>(v));
  if (num.back() & 0x80) num.push_back(0x00);
  num.insert(num.begin(), static_cast<uint8_t>(num.size()));
  return num;
}

bool is_coinbase(const Tx& tx) {
  return tx.inputs.size() == 1 && tx.inputs[0].prev_txid == Hash{} &&
         tx.inputs[0].prev_index == 0xffffffff;
}

Failure check_coinbase(const Tx& cb, const Expected& e, const Bytes& payout_script) {
  if (!is_coinbase(cb)) return fail("bad-cb-missing", "the first transaction is no coinbase");
  const Bytes& sig = cb.inputs[0].script_sig;
  if (sig.size() < 2 || sig.size() > 100) {
    return fail("bad-cb-length", "scriptSig of " + std::to_string(sig.size()) + " bytes");
  }
  const Bytes push = height_push(e.height);
  if (sig.size() < push.size() || !std::equal(push.begin(), push.end(), sig.begin())) {
    return fail("bad-cb-height", "scriptSig " + hex(sig) + " does not start with " + hex(push) +
                                     " (height " + std::to_string(e.height) + ")");
  }
  int64_t paid = 0;
  for (const TxOut& o : cb.outputs) paid += o.value;
  if (paid > e.coinbase_value) {
    return fail("bad-cb-amount", "pays " + std::to_string(paid) + " > coinbasevalue " +
                                     std::to_string(e.coinbase_value));
  }
  const bool any_payee = payout_script.empty();
  if (!any_payee && (cb.outputs.empty() || cb.outputs[0].script != payout_script)) {
    return fail("bad-cb-payee", "first output script " +
                                    (cb.outputs.empty() ? "(none)" : hex(cb.outputs[0].script)) +
                                    ", expected " + hex(payout_script));
  }
  return std::nullopt;
}

Failure check_template_transactions(const Block& b, const Expected& e) {
  if (b.transactions.size() != e.transactions.size() + 1) {
    return fail("bad-txns-template", std::to_string(b.transactions.size() - 1) +
                                         " transactions after the coinbase, " + "template has " +
                                         std::to_string(e.transactions.size()));
  }
  for (size_t i = 0; i < e.transactions.size(); ++i) {
    if (b.transactions[i + 1].raw != e.transactions[i]) {
      return fail("bad-txns-template",
                  "transaction " + std::to_string(i + 1) + " differs from the template's data");
    }
  }
  return std::nullopt;
}

// Core takes the last output that starts with the commitment header.
const TxOut* commitment_output(const Tx& cb) {
  const TxOut* found = nullptr;
  for (const TxOut& o : cb.outputs) {
    if (o.script.size() >= 38 &&
        std::equal(std::begin(kCommitmentPrefix), std::end(kCommitmentPrefix), o.script.begin())) {
      found = &o;
    }
  }
  return found;
}

Failure check_witness(const Block& b) {
  const bool any_witness = std::any_of(b.transactions.begin(), b.transactions.end(),
                                       [](const Tx& tx) { return tx.has_witness; });
  const Tx& cb = b.transactions[0];
  const TxOut* out = commitment_output(cb);
  if (!out) {
    if (any_witness) return fail("unexpected-witness", "witnesses but no commitment output");
    return std::nullopt;
  }
  const auto& witness = cb.inputs[0].witness;
  if (witness.size() != 1 || witness[0].size() != 32) {
    return fail("bad-witness-nonce-size", "the coinbase witness is not one 32-byte item");
  }
  std::vector<Hash> wtxids{Hash{}};
  for (size_t i = 1; i < b.transactions.size(); ++i)
    wtxids.push_back(hash256(b.transactions[i].raw));
  const Hash root = merkle_root(wtxids);
  Bytes preimage(root.begin(), root.end());
  preimage.insert(preimage.end(), witness[0].begin(), witness[0].end());
  const Hash commitment = hash256(preimage);
  if (!std::equal(commitment.begin(), commitment.end(), out->script.begin() + 6)) {
    return fail("bad-witness-merkle-match", "commitment " +
                                                hex(std::span(out->script).subspan(6, 32)) +
                                                ", expected " + hex(commitment));
  }
  return std::nullopt;
}

Failure check_body(const Block& b, const Expected& e, const Bytes& payout_script) {
  if (b.transactions.empty()) return fail("bad-cb-missing", "no transactions");
  if (auto f = check_merkle_root(b)) return f;
  if (auto f = check_coinbase(b.transactions[0], e, payout_script)) return f;
  if (auto f = check_template_transactions(b, e)) return f;
  return check_witness(b);
}

CheckResult failed(CheckResult r, const Failure& f) {
  r.reason = f->first;
  r.detail = f->second;
  return r;
}

}  // namespace

CheckResult check_block(const std::string& block_hex, const json& gbt_template,
                        const std::vector<uint8_t>& payout_script) {
  CheckResult result;
  Expected expected;
  try {
    expected = read_template(gbt_template);
  } catch (const std::exception& e) {
    return failed(result, fail("bad-template", e.what()));
  }
  const auto bytes = protocol::from_hex(block_hex);
  if (!bytes) return failed(result, fail("block-decode-failed", "not hex"));
  std::string error;
  const auto block = read_block(*bytes, error);
  if (!block) return failed(result, fail("block-decode-failed", error));
  result.block_hash = rpc_hex(hash256(block->header.raw));
  if (auto f = check_pow(block->header, result.block_hash)) return failed(result, f);
  if (auto f = check_header(block->header, expected)) return failed(result, f);
  if (auto f = check_body(*block, expected, payout_script)) return failed(result, f);
  result.ok = true;
  result.height = expected.height;
  for (const TxOut& o : block->transactions[0].outputs) result.payout_total += o.value;
  return result;
}

}  // namespace synthminer::fake_node
