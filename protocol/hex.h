// Hex strings as pools send them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace synthminer::protocol {

/// Decodes hex (either case). nullopt for an odd length or a non-hex digit.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
/// Lower-case hex of `bytes`.
std::string to_hex(std::span<const uint8_t> bytes);
/// A 32-bit number written as exactly 8 hex digits, big-endian ("1d00ffff").
std::optional<uint32_t> parse_hex_u32(std::string_view hex);
std::string hex_u32(uint32_t value);

}  // namespace synthminer::protocol
