// Base58 and Base58Check, as legacy (P2PKH, P2SH) addresses are written.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "node/result.h"

namespace synthminer::node {

/// Longest Base58 text decoded (characters); the decode is quadratic, and an
/// address is at most 35.
inline constexpr size_t kMaxBase58Chars = 128;

/// Decodes Base58 (Bitcoin's alphabet); each leading '1' is one zero byte.
/// Refuses characters outside the alphabet and text over kMaxBase58Chars.
Result<std::vector<uint8_t>> base58_decode(std::string_view text);

/// Decodes Base58Check: the payload without its 4-byte checksum, which must
/// equal the first 4 bytes of sha256d(payload).
Result<std::vector<uint8_t>> base58check_decode(std::string_view text);

}  // namespace synthminer::node
