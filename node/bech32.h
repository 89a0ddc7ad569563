// Bech32 (BIP 173) and bech32m (BIP 350), and the segwit addresses written
// in them (P2WPKH, P2WSH, P2TR and future witness versions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "node/result.h"

namespace synthminer::node {

/// Longest bech32 string, separator and checksum included (BIP 173).
inline constexpr size_t kMaxBech32Chars = 90;

enum class Bech32Encoding { kBech32, kBech32m };

struct Bech32Decoded {
  Bech32Encoding encoding = Bech32Encoding::kBech32;
  std::string hrp;            ///< human-readable part, lower case
  std::vector<uint8_t> data;  ///< 5-bit values, checksum removed
};

/// Decodes a bech32 or bech32m string; which one is told by the checksum.
/// Refuses mixed case, characters outside 33..126, an empty HRP, a checksum
/// of fewer than 6 characters and strings over kMaxBech32Chars.
Result<Bech32Decoded> bech32_decode(std::string_view text);

/// A segwit output as an address names it.
struct WitnessProgram {
  std::string hrp;               ///< "bc", "tb", "bcrt", lower case
  uint8_t version = 0;           ///< 0..16
  std::vector<uint8_t> program;  ///< 2..40 bytes (20 or 32 for version 0)
};

/// Decodes a segwit address (BIP 173, BIP 350): version 0 must be bech32
/// with a 20- or 32-byte program, versions 1..16 bech32m; the 8-to-5 bit
/// padding must be zero and at most 4 bits. The HRP is not checked here.
Result<WitnessProgram> segwit_decode(std::string_view address);

/// The scriptPubKey: OP_0 or OP_1..OP_16, then a push of the program.
std::vector<uint8_t> witness_script(const WitnessProgram& witness);

}  // namespace synthminer::node
