#include "protocol/work.h"

#include <algorithm>
#include <cmath>

#include "hashcore/sha256.h"
#include "protocol/hex.h"

namespace synthminer::protocol {
namespace {

void put_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// A 256-bit number as 8 limbs of 32 bits, least significant first, in long
// double for the difficulty arithmetic (64-bit mantissa: plenty for a ratio).
long double target_value(const hashcore::Target& t) {
  long double v = 0;
  for (int i = 7; i >= 0; --i) v = v * 4294967296.0L + t.limbs[static_cast<size_t>(i)];
  return v;
}

// __extension__: -Wpedantic knows no 128-bit integers; GCC and clang do.
__extension__ typedef unsigned __int128 Uint128;

// difficulty 1: 0x00000000ffff0000...0 = 0xffff * 2^208.
const long double kDiff1 = std::ldexp(static_cast<long double>(0xffff), 208);

}  // namespace

std::vector<uint8_t> build_coinbase(const Job& job, std::span<const uint8_t> extranonce1,
                                    std::span<const uint8_t> extranonce2) {
  std::vector<uint8_t> cb;
  cb.reserve(job.coinb1.size() + extranonce1.size() + extranonce2.size() + job.coinb2.size());
  cb.insert(cb.end(), job.coinb1.begin(), job.coinb1.end());
  cb.insert(cb.end(), extranonce1.begin(), extranonce1.end());
  cb.insert(cb.end(), extranonce2.begin(), extranonce2.end());
  cb.insert(cb.end(), job.coinb2.begin(), job.coinb2.end());
  return cb;
}

Hash256 merkle_root(std::span<const uint8_t> coinbase, std::span<const Hash256> branch) {
  Hash256 root = hashcore::sha256d(coinbase);
  uint8_t pair[64];
  for (const Hash256& b : branch) {
    std::copy(root.begin(), root.end(), pair);
    std::copy(b.begin(), b.end(), pair + 32);
    root = hashcore::sha256d(pair);
  }
  return root;
}

std::array<uint8_t, 80> build_header(const Job& job, const Hash256& merkle_root, uint32_t version,
                                     uint32_t ntime, uint32_t nonce) {
  std::array<uint8_t, 80> h{};
  put_le32(h.data(), version);
  // Stratum sends the previous hash with each 4-byte word byte-swapped.
  for (size_t word = 0; word < 8; ++word) {
    for (size_t i = 0; i < 4; ++i) h[4 + 4 * word + i] = job.prevhash[4 * word + 3 - i];
  }
  std::copy(merkle_root.begin(), merkle_root.end(), h.begin() + 36);
  put_le32(h.data() + 68, ntime);
  put_le32(h.data() + 72, job.nbits);
  put_le32(h.data() + 76, nonce);
  return h;
}

std::array<uint8_t, 80> share_header(const Job& job, const Extranonce& session,
                                     std::span<const uint8_t> extranonce2, uint32_t version,
                                     uint32_t ntime, uint32_t nonce) {
  const auto coinbase = build_coinbase(job, session.extranonce1, extranonce2);
  return build_header(job, merkle_root(coinbase, job.merkle_branch), version, ntime, nonce);
}

std::optional<hashcore::Target> difficulty_to_target(double difficulty) {
  if (!std::isfinite(difficulty) || difficulty <= 0) return std::nullopt;
  if (difficulty >= 1 && difficulty < 0x1p64 && std::floor(difficulty) == difficulty) {
    // Whole difficulties (the common case) divide exactly, limb by limb.
    const auto divisor = static_cast<Uint128>(difficulty);
    hashcore::Target t;
    t.limbs[6] = 0xffff0000u;
    Uint128 rest = 0;
    for (int i = 7; i >= 0; --i) {
      const Uint128 cur = rest << 32 | t.limbs[static_cast<size_t>(i)];
      t.limbs[static_cast<size_t>(i)] = static_cast<uint32_t>(cur / divisor);
      rest = cur % divisor;
    }
    return t;
  }
  long double value = std::floor(kDiff1 / static_cast<long double>(difficulty));
  if (value >= std::ldexp(1.0L, 256)) return hashcore::Target::max();
  hashcore::Target t;
  // Peel off limbs from the top; each step is exact for the bits it keeps.
  for (int i = 7; i >= 0; --i) {
    const long double unit = std::ldexp(1.0L, 32 * i);
    const long double limb = std::floor(value / unit);
    t.limbs[static_cast<size_t>(i)] = static_cast<uint32_t>(limb);
    value -= limb * unit;
  }
  return t;
}

double hash_difficulty(const hashcore::Digest& hash) {
  const long double v = target_value(hashcore::Target::from_hash(hash));
  return v == 0 ? INFINITY : static_cast<double>(kDiff1 / v);
}

std::optional<hashcore::Target> nbits_to_target(uint32_t nbits) {
  const uint32_t exponent = nbits >> 24;
  const uint32_t mantissa = nbits & 0x007fffff;
  if (nbits & 0x00800000) return std::nullopt;  // the sign bit: a negative target
  hashcore::Target t;
  if (mantissa == 0) return t;
  if (exponent <= 3) {
    t.limbs[0] = mantissa >> (8 * (3 - exponent));
    return t;
  }
  // mantissa * 256^(exponent - 3): place its three bytes from byte (exponent - 3).
  for (uint32_t i = 0; i < 3; ++i) {
    const uint32_t byte_index = exponent - 3 + i;
    const uint32_t byte = (mantissa >> (8 * i)) & 0xff;
    if (byte == 0) continue;
    if (byte_index >= 32) return std::nullopt;  // overflows 256 bits
    t.limbs[byte_index / 4] |= byte << (8 * (byte_index % 4));
  }
  return t;
}

std::string display_hex(const hashcore::Digest& hash) {
  hashcore::Digest reversed;
  std::reverse_copy(hash.begin(), hash.end(), reversed.begin());
  return to_hex(reversed);
}

}  // namespace synthminer::protocol
