// The sha256d nonce scan: the contract every backend (CPU and GPU) fulfils.
//
// A block header is 80 bytes. Its first 64 bytes are compressed once into a
// midstate; the last 16 (merkle-root tail, ntime, nbits, nonce) form the
// second block with the padding. A scan hashes a range of nonces and returns
// every nonce whose double SHA-256, read as a little-endian 256-bit number,
// is <= the target. It never decides what a share is.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hashcore/sha256.h"

namespace synthminer::hashcore {

/// A 256-bit target: limbs[0] holds the least significant 32 bits.
struct Target {
  std::array<uint32_t, 8> limbs{};

  /// The easiest possible target: every hash meets it.
  static Target max();
  /// A hash (raw SHA-256 digest) read as the little-endian 256-bit number
  /// that targets are compared with.
  static Target from_hash(const Digest& hash);
  /// From 32 bytes as Bitcoin prints targets and hashes: big-endian hex.
  static Target from_hex(std::string_view hex_be);
  std::string to_hex() const;
  friend bool operator==(const Target&, const Target&) = default;
};

/// True when `hash` (a raw SHA-256 digest, read little-endian) is <= `target`.
bool meets_target(const Digest& hash, const Target& target);

/// Everything a scan needs from a job; the nonce bytes of `tail` are ignored.
struct ScanJob {
  State midstate{};                ///< SHA-256 state after header bytes 0..63
  std::array<uint8_t, 16> tail{};  ///< header bytes 64..79
  Target target{};
};

/// Builds a ScanJob from a full 80-byte header (its nonce is ignored).
ScanJob scan_job_from_header(std::span<const uint8_t, 80> header, const Target& target);

/// A run of nonces [start, start + count). It never wraps: count is at most
/// 2^32 - start, so a range can end at the last nonce, 2^32 - 1.
struct NonceRange {
  uint32_t start = 0;
  uint64_t count = 0;
};

struct ScanResult {
  uint64_t hashes = 0;           ///< nonces hashed
  std::vector<uint32_t> nonces;  ///< every nonce whose sha256d <= target, ascending
};

/// The double SHA-256 of the header with `nonce`, computed with the reference.
Digest header_hash(const ScanJob& job, uint32_t nonce);

/// The simple, obviously correct scan that every fast path is compared with.
ScanResult scan_reference(const ScanJob& job, NonceRange range);

}  // namespace synthminer::hashcore
