// What a backend's scan kernel hands back: nonces whose H7 word passed the
// cheap top-32-bit test against the target. The generic driver (scan.cpp)
// re-checks each with the reference before it becomes a result.
//
// Plain data only: ISA-specific files include this and must not instantiate
// anything (such as std containers) that the linker could share with generic
// code compiled for an older CPU.
#pragma once

#include <cstdint>

#include "hashcore/scan_constants.h"

namespace synthminer::hashcore {

struct PrefilterHits {
  static constexpr uint32_t kCapacity = 256;  // >= the widest backend's lanes
  uint32_t size = 0;
  uint32_t nonce[kCapacity];
};

/// Scans nonces [start, start + count) and appends to `hits` every nonce
/// whose byte-swapped H7 is <= k.target_top. Stops early, between steps, when
/// `hits` could not take a full step more; returns the nonces scanned.
/// Requires start + count <= 2^32.
using ScanKernel = uint64_t (*)(const ScanConstants& k, uint32_t start, uint64_t count,
                                PrefilterHits& hits);

/// Compresses one 64-byte block into each of `lanes` independent states.
/// `state` is word-major: state[word * lanes + lane]. Blocks may be unaligned.
using CompressLanes = void (*)(uint32_t* state, const uint8_t* const* blocks);

}  // namespace synthminer::hashcore
