// A payout address to the output script a coinbase pays: P2PKH and P2SH
// (Base58Check), P2WPKH, P2WSH and P2TR (bech32/bech32m), for one chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "node/result.h"

namespace synthminer::node {

/// The address families. Testnet3, testnet4 and signet share prefixes.
enum class Chain { kMain, kTest, kRegtest };

/// From getblockchaininfo's `chain`: "main", "test", "testnet4", "signet",
/// "regtest"; nullopt for anything else.
std::optional<Chain> chain_from_name(std::string_view name);

/// "main", "test" or "regtest", for messages.
std::string_view chain_name(Chain chain);

/// The scriptPubKey `address` stands for on `chain`. An address of another
/// chain is refused with an error naming both. Witness versions other than
/// v0 (20 or 32 bytes) and v1 with 32 bytes (P2TR) are refused: coins sent
/// to a version no soft fork defines yet could be taken by anyone.
Result<std::vector<uint8_t>> output_script(std::string_view address, Chain chain);

}  // namespace synthminer::node
