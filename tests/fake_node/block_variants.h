// Blocks for a template, assembled with node/ and mined on the CPU (regtest's
// target takes a nonce or two): the good one and variants each broken in
// one way. Every variant is mined from a changed template, so it is
// consistent in itself and wrong only in the way its name says. Used by
// the tests and by fake_node_variants (record.sh asks Bitcoin Core for its
// verdict on each).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "node/block_template.h"

namespace synthminer::fake_node {

/// The tests' payout (BIP 173's P2WPKH example, on regtest).
inline constexpr const char* kTestPayoutAddress = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

/// The block node/ assembles from `tmpl` paying `payout`, with the first
/// nonce whose hash meets the template's target (with `miss_target` the
/// first that misses it). Empty when node/ refuses the template.
std::string mine_block(const node::BlockTemplate& tmpl, const std::vector<uint8_t>& payout,
                       bool miss_target = false);

struct BlockVariant {
  std::string name;        ///< "good", "wrong-height", ...
  std::string reason;      ///< what check_block answers; empty for "good"
  bool ours_only = false;  ///< a rule of ours that Core does not have (payee, template)
  std::string hex;
};

/// "good" first, then every broken variant `tmpl` allows (those changing a
/// template transaction need one; the witness one needs a segwit one).
std::vector<BlockVariant> block_variants(const node::BlockTemplate& tmpl,
                                         const std::vector<uint8_t>& payout);

}  // namespace synthminer::fake_node
