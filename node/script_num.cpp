#include "node/script_num.h"

namespace synthminer::node {

std::vector<uint8_t> script_num_bytes(int64_t value) {
  std::vector<uint8_t> out;
  if (value == 0) return out;
  const bool negative = value < 0;
  // The magnitude as unsigned: -INT64_MIN does not fit an int64_t.
  uint64_t magnitude = negative ? ~static_cast<uint64_t>(value) + 1 : static_cast<uint64_t>(value);
  while (magnitude > 0) {
    out.push_back(static_cast<uint8_t>(magnitude & 0xff));
    magnitude >>= 8;
  }
  if (out.back() & 0x80) {
    out.push_back(negative ? 0x80 : 0x00);
  } else if (negative) {
    out.back() |= 0x80;
  }
  return out;
}

std::vector<uint8_t> push_number(int64_t value) {
  if (value == 0) return {0x00};                                               // OP_0
  if (value == -1) return {0x4f};                                              // OP_1NEGATE
  if (value >= 1 && value <= 16) return {static_cast<uint8_t>(0x50 + value)};  // OP_1..OP_16
  std::vector<uint8_t> bytes = script_num_bytes(value);
  std::vector<uint8_t> out{static_cast<uint8_t>(bytes.size())};  // at most 9: a direct push
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

}  // namespace synthminer::node
