// Bitcoin's wire encoding of the few things a coinbase and a block need:
// little-endian integers and CompactSize lengths.
#pragma once

#include <cstdint>
#include <vector>

namespace synthminer::node {

/// Appends `value` as `bytes` little-endian bytes.
inline void put_le(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

/// Appends a CompactSize: one byte below 0xfd, else a marker and 2, 4 or 8 bytes.
inline void put_compact_size(std::vector<uint8_t>& out, uint64_t n) {
  if (n < 0xfd) {
    out.push_back(static_cast<uint8_t>(n));
  } else if (n <= 0xffff) {
    out.push_back(0xfd);
    put_le(out, n, 2);
  } else if (n <= 0xffffffff) {
    out.push_back(0xfe);
    put_le(out, n, 4);
  } else {
    out.push_back(0xff);
    put_le(out, n, 8);
  }
}

}  // namespace synthminer::node
