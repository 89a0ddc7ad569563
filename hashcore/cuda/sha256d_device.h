// The CUDA kernel's arithmetic: the shared sha256d template (sha256d_lanes.h)
// on one 32-bit word per thread. This header compiles as host C++ too, so the
// CPU test suite runs exactly the kernel's code against the reference.
#pragma once

#include <cstdint>
#include <type_traits>

#include "hashcore/scan_constants.h"
#include "hashcore/sha256d_lanes.h"

namespace synthminer::hashcore::cuda {

#if defined(__CUDACC__)
/// 1, where ptxas cannot see it: a * kImadOne + b must be an IMAD.
__constant__ uint32_t kImadOne = 1;
#endif

/// One nonce per thread. On the device, rotates are funnel shifts (SHF),
/// byte swaps are PRMT, and nvcc turns ch/maj/xor3 into single LOP3s and
/// chains of adds into IADD3s; K comes in as immediates.
///
/// All of those but IMAD run on the integer ALU pipe, which takes a warp
/// instruction every other clock, and bound the kernel (docs/PERFORMANCE.md).
/// With kImadAdds, every add is an IMAD by a 1 from constant memory instead:
/// more instructions, but on the otherwise idle FMA pipe.
template <bool kImadAdds = false>
struct CudaLane {
  using T = uint32_t;
  static constexpr uint32_t kLanes = 1;
  SYNTHMINER_LANES_FN static T set1(uint32_t x) { return x; }
  SYNTHMINER_LANES_FN static T add(T a, T b) {
#if defined(__CUDA_ARCH__)
    if constexpr (kImadAdds) return a * kImadOne + b;
#endif
    return a + b;
  }
  template <int kN>
  SYNTHMINER_LANES_FN static T ror(T x) {
#if defined(__CUDA_ARCH__)
    return __funnelshift_r(x, x, kN);
#else
    return rotr(x, kN);
#endif
  }
  template <int kN>
  SYNTHMINER_LANES_FN static T shr(T x) {
    return x >> kN;
  }
  SYNTHMINER_LANES_FN static T xor3(T a, T b, T c) {
    return a ^ b ^ c;
  }
  SYNTHMINER_LANES_FN static T ch(T e, T f, T g) {
    return (e & f) ^ (~e & g);
  }
  SYNTHMINER_LANES_FN static T maj(T a, T b, T c) {
    return (a & b) | (c & (a | b));
  }
  SYNTHMINER_LANES_FN static T bswap(T x) {
#if defined(__CUDA_ARCH__)
    return __byte_perm(x, 0, 0x0123);
#else
    return bswap32(x);
#endif
  }
  /// K[t] for a compile-time t (the template passes std::integral_constant),
  /// folded to an immediate: device code may not read the host table.
  template <class Index>
  SYNTHMINER_LANES_FN static T k(Index) {
    return std::integral_constant<uint32_t, k_at(Index::value)>::value;
  }
};

template <bool kImadAdds = false>
struct DeviceScan {
  using Lane = CudaLane<kImadAdds>;

  /// True when the nonce's byte-swapped H7 is <= k.target_top: the kernel's
  /// prefilter, re-checked in full on the host like every backend's hits.
  SYNTHMINER_LANES_FN static bool passes(const ScanConstants& k, uint32_t nonce) {
    return passes_multi<1>(&k, nonce) != 0;
  }

  /// The prefilter for kN version rolls of one header at once (see
  /// Sha256dLanes::first_hash_multi): bit j is set when header j passes.
  /// Every k[j] has the same target.
  template <int kN>
  SYNTHMINER_LANES_FN static uint32_t passes_multi(const ScanConstants* k, uint32_t nonce) {
    using Lanes = Sha256dLanes<Lane>;
    uint32_t h1[kN][8];
    Lanes::template first_hash_multi<kN>(k, Lane::bswap(nonce), h1);
    uint32_t mask = 0;
    Lanes::template for_each<kN>([&](int j) {
      if (Lane::bswap(Lanes::second_hash_h7(h1[j])) <= k[0].target_top) mask |= 1u << j;
    });
    return mask;
  }
};

}  // namespace synthminer::hashcore::cuda
