// The nonce-independent part of a sha256d scan, computed once per job and
// shared by every backend (CPU lanes and, later, the GPU kernel).
//
// In the header's second block only W3 (the byte-swapped nonce) varies:
// W0..W2 come from the job, W4..W15 are padding. So rounds 0..2 and most of
// round 3 are fixed, the h+K+W sums of rounds 4..6 are fixed, W16/W17 are
// fixed, and W18..W32 are a fixed part plus a nonce part.
#pragma once

#include <cstdint>

#include "hashcore/scan.h"

namespace synthminer::hashcore {

struct ScanConstants {
  uint32_t midstate[8];  ///< state after header bytes 0..63
  uint32_t w0, w1, w2;   ///< big-endian words of header bytes 64..75

  // State after round 3 is (a4_base + W3, a3, b3, c3, e4_base + W3, e3, f3, g3).
  uint32_t a4_base, e4_base;
  uint32_t a3, b3, c3, e3, f3;
  uint32_t hkw4, hkw5, hkw6;  ///< h + K + W of rounds 4..6 (h is fixed there)

  // Message schedule of the second block.
  uint32_t w16, w17;    ///< no nonce in them
  uint32_t kw16, kw17;  ///< K + W of rounds 16, 17
  uint32_t w18_base;    ///< W18 = w18_base + sigma0(W3)
  uint32_t w19_base;    ///< W19 = w19_base + W3
  uint32_t w31_add;     ///< W31 = sigma1(W29) + W24 + w31_add
  uint32_t w32_add;     ///< W32 = sigma1(W30) + W25 + w32_add

  uint32_t target_top;  ///< most significant 32 bits of the target
};

/// Computes the nonce-independent constants of `job`.
ScanConstants make_scan_constants(const ScanJob& job);

}  // namespace synthminer::hashcore
