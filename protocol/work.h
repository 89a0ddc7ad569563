// From a Job to the 80-byte block header a device hashes, and the targets a
// hash is compared with.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "hashcore/scan.h"
#include "protocol/job.h"

namespace synthminer::protocol {

/// coinb1 || extranonce1 || extranonce2 || coinb2.
std::vector<uint8_t> build_coinbase(const Job& job, std::span<const uint8_t> extranonce1,
                                    std::span<const uint8_t> extranonce2);

/// The merkle root in header byte order: sha256d(coinbase), then for each
/// branch b: root = sha256d(root || b).
Hash256 merkle_root(std::span<const uint8_t> coinbase, std::span<const Hash256> branch);

/// The 80-byte header: version, prevhash (each 4-byte word swapped back),
/// merkle root, ntime, nbits, nonce; the numbers little-endian.
std::array<uint8_t, 80> build_header(const Job& job, const Hash256& merkle_root, uint32_t version,
                                     uint32_t ntime, uint32_t nonce);

/// The header for a share: coinbase, merkle root and header in one step.
/// `version` is the full version (job version with rolled bits applied).
std::array<uint8_t, 80> share_header(const Job& job, const Extranonce& session,
                                     std::span<const uint8_t> extranonce2, uint32_t version,
                                     uint32_t ntime, uint32_t nonce);

/// Pool difficulty to share target: floor(0x00000000FFFF0000...0 / difficulty).
/// Fractional difficulties are allowed; nullopt when difficulty is not a
/// finite number > 0. Targets above 2^256 - 1 are clamped to the maximum.
std::optional<hashcore::Target> difficulty_to_target(double difficulty);

/// The difficulty a hash (raw digest) achieves: diff1 target / hash value.
double hash_difficulty(const hashcore::Digest& hash);

/// Network target from the compact nbits form: mantissa * 256^(exponent - 3).
/// nullopt for a negative or overflowing encoding.
std::optional<hashcore::Target> nbits_to_target(uint32_t nbits);

/// Hash as Bitcoin displays it (byte-reversed hex).
std::string display_hex(const hashcore::Digest& hash);

}  // namespace synthminer::protocol
