// Merkle trees of a block: the coinbase's branch that a Stratum job carries,
// and the segwit witness commitment (BIP 141).
//
// Every hash here is in internal byte order, the order sha256d produces and
// the header holds; RPC prints them reversed (display order).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "protocol/job.h"

namespace synthminer::node {

using protocol::Hash256;

/// The hashes protocol::merkle_root folds, in order, to get from the
/// coinbase's txid to the block's merkle root, when the other transactions
/// have `txids` (block order, coinbase excluded). Empty for none.
std::vector<Hash256> coinbase_merkle_branch(std::span<const Hash256> txids);

/// The merkle root of `leaves` as Bitcoin computes it: pairs hashed with
/// sha256d, a level of odd length pairing its last hash with itself. A
/// single leaf is its own root; no leaves give all zero.
Hash256 tree_merkle_root(std::span<const Hash256> leaves);

/// The witness merkle root of a block whose non-coinbase transactions have
/// `wtxids` (block order): the coinbase's wtxid counts as 32 zero bytes.
Hash256 witness_merkle_root(std::span<const Hash256> wtxids);

/// The witness commitment sha256d(witness_root || reserved), with the
/// coinbase witness's reserved value (32 zero bytes by default).
Hash256 witness_commitment(const Hash256& witness_root, const Hash256& reserved = Hash256{});

/// The commitment output's script: OP_RETURN, a 36-byte push of the header
/// aa21a9ed and the commitment (38 bytes in all).
std::vector<uint8_t> witness_commitment_script(const Hash256& commitment);

}  // namespace synthminer::node
