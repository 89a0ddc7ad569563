// SHA-256 for keys and matrix contents, on the self-tested SHA-NI path when
// the caller has one (hashcore's "shani" backend), else the reference.
#pragma once

#include <cstdint>
#include <span>

#include "hashcore/backend.h"
#include "hashcore/sha256.h"

namespace jarvis {

/// SHA-256 of `bytes`. `one_lane` is a usable one-lane backend (Dispatch's
/// "shani") or null; both paths give the same digest.
synthminer::hashcore::Digest digest_bytes(std::span<const uint8_t> bytes,
                                          const synthminer::hashcore::Backend* one_lane);

}  // namespace jarvis
