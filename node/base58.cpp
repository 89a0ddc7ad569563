#include "node/base58.h"

#include <algorithm>
#include <array>
#include <string>

#include "hashcore/sha256.h"

namespace synthminer::node {
namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

Error fail(std::string message) {
  return Error{"base58: " + std::move(message)};
}

}  // namespace

Result<std::vector<uint8_t>> base58_decode(std::string_view text) {
  if (text.size() > kMaxBase58Chars) {
    return fail("longer than " + std::to_string(kMaxBase58Chars) + " characters");
  }
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  // Big-endian base-256 digits of the number the rest of the text spells.
  std::vector<uint8_t> number;
  for (size_t i = zeros; i < text.size(); ++i) {
    const size_t digit = kAlphabet.find(text[i]);
    if (digit == std::string_view::npos) {
      return fail("character " + std::to_string(i) + " is not in the alphabet");
    }
    uint32_t carry = static_cast<uint32_t>(digit);
    for (auto it = number.rbegin(); it != number.rend(); ++it) {
      carry += 58u * *it;
      *it = static_cast<uint8_t>(carry);
      carry >>= 8;
    }
    while (carry > 0) {
      number.insert(number.begin(), static_cast<uint8_t>(carry));
      carry >>= 8;
    }
  }
  std::vector<uint8_t> out(zeros, 0);
  out.insert(out.end(), number.begin(), number.end());
  return out;
}

Result<std::vector<uint8_t>> base58check_decode(std::string_view text) {
  auto raw = base58_decode(text);
  if (!raw) return raw;
  std::vector<uint8_t> bytes = std::move(raw).value();
  if (bytes.size() < 4) return fail("shorter than its 4-byte checksum");
  const size_t payload = bytes.size() - 4;
  const hashcore::Digest sum = hashcore::sha256d(std::span(bytes.data(), payload));
  if (!std::equal(sum.begin(), sum.begin() + 4, bytes.begin() + static_cast<long>(payload))) {
    return fail("checksum mismatch");
  }
  bytes.resize(payload);
  return bytes;
}

}  // namespace synthminer::node
