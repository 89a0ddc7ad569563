// A full check of a block submitted for a getblocktemplate result, the way
// a node would judge it, for the fake node and the solo-mining tests. It
// reads the block with its own reader (block_reader.h), never with node/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace synthminer::fake_node {

struct CheckResult {
  bool ok = false;
  /// The first failure as Bitcoin Core names it ("high-hash",
  /// "bad-txnmrklroot", "bad-cb-height", "bad-version(0x00000003)", ...);
  /// ours: "bad-cb-payee", "bad-txns-template", "bad-vbrequired",
  /// "block-decode-failed", "bad-template". Empty when ok.
  std::string reason;
  std::string detail;        ///< for people: what was expected and found
  std::string block_hash;    ///< RPC byte order hex, when the block decoded
  uint32_t height = 0;       ///< from the template, when ok
  int64_t payout_total = 0;  ///< satoshis, the sum of the coinbase's outputs, when ok
};

/// Checks `block_hex` (a whole serialized block) against `gbt_template`
/// (a getblocktemplate result as JSON) and the script the coinbase's first
/// output must pay (empty: any). In order: decode, proof of work against the header's
/// bits, previous hash, bits, time, version, merkle root, coinbase (shape,
/// scriptSig 2..100 bytes, BIP 34 height, amount, payee), the template's
/// transactions byte for byte, the witness commitment (BIP 141).
CheckResult check_block(const std::string& block_hex, const nlohmann::json& gbt_template,
                        const std::vector<uint8_t>& payout_script);

}  // namespace synthminer::fake_node
