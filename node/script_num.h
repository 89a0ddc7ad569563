// Numbers in scripts, as the BIP 34 height at the start of a coinbase's
// scriptSig is written.
#pragma once

#include <cstdint>
#include <vector>

namespace synthminer::node {

/// CScriptNum's bytes: little-endian, as few as possible, the sign in the
/// top bit of the last byte (a 0x00 or 0x80 byte is added when the top bit
/// of the magnitude is set). Zero is no bytes.
std::vector<uint8_t> script_num_bytes(int64_t value);

/// The script that pushes `value` as Bitcoin Core writes `CScript() << n`:
/// OP_0 for 0, OP_1NEGATE for -1, OP_1..OP_16 for 1..16, otherwise a
/// direct push (length byte, then script_num_bytes).
std::vector<uint8_t> push_number(int64_t value);

/// The BIP 34 height push. Core checks a coinbase against
/// `CScript() << height`, so heights 1..16 are OP_1..OP_16, not "01 01".
inline std::vector<uint8_t> bip34_height_push(uint32_t height) {
  return push_number(height);
}

}  // namespace synthminer::node
