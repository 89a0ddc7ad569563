// Full SHA-256 of several messages at once on a backend's lanes: how the
// SIMD compressions are checked against NIST vectors and OpenSSL.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hashcore/backend.h"

namespace synthminer::hashcore {

/// SHA-256 of each message, `backend.lanes` at a time. All messages must have
/// the same length (throws std::invalid_argument otherwise).
std::vector<Digest> sha256_lanes(const Backend& backend,
                                 std::span<const std::span<const uint8_t>> messages);

}  // namespace synthminer::hashcore
