// The portable SHA-256: the reference every fast path is checked against.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace synthminer::hashcore {

using Digest = std::array<uint8_t, 32>;
using State = std::array<uint32_t, 8>;

/// Compresses one 64-byte block into `state` (FIPS 180-4 §6.2.2).
void compress_reference(State& state, const uint8_t* block);

/// Streaming SHA-256 over any number of bytes.
class Sha256 {
 public:
  Sha256& update(std::span<const uint8_t> data);
  Digest finish();

 private:
  State state_{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

Digest sha256(std::span<const uint8_t> data);
/// SHA-256 applied twice, as Bitcoin hashes headers, transactions and merkle nodes.
Digest sha256d(std::span<const uint8_t> data);

/// Digest as a state: the eight big-endian words of the hash.
State digest_words(const Digest& digest);
Digest words_digest(const State& words);

}  // namespace synthminer::hashcore
