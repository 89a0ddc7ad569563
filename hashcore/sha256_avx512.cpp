// AVX-512 backend: 16 nonces per step, with the single-instruction rotate
// (vprord) and three-input logic (vpternlogd) that make SHA-256 cheap.
// Compiled with -mavx512f -mavx512bw (this file only).
// GCC 12 warns inside its own avx512fintrin.h (_mm512_undefined_epi32); not our code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "hashcore/backend_kernels.h"
#include "hashcore/sha256d_lanes.h"

namespace synthminer::hashcore::kernels {
namespace {

struct Avx512Lanes {
  using T = __m512i;
  static constexpr uint32_t kLanes = 16;
  static T set1(uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  static T load(const uint32_t* p) { return _mm512_loadu_si512(p); }
  static void store(uint32_t* p, T x) { _mm512_storeu_si512(p, x); }
  static T add(T a, T b) { return _mm512_add_epi32(a, b); }
  template <int kN>
  static T ror(T x) {
    return _mm512_ror_epi32(x, kN);
  }
  template <int kN>
  static T shr(T x) {
    return _mm512_srli_epi32(x, kN);
  }
  // vpternlogd truth tables: 0x96 = a^b^c, 0xca = a?b:c, 0xe8 = majority.
  static T xor3(T a, T b, T c) { return _mm512_ternarylogic_epi32(a, b, c, 0x96); }
  static T ch(T e, T f, T g) { return _mm512_ternarylogic_epi32(e, f, g, 0xca); }
  static T maj(T a, T b, T c) { return _mm512_ternarylogic_epi32(a, b, c, 0xe8); }
  static T bswap(T x) {
    const T order = _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203);
    return _mm512_shuffle_epi8(x, order);
  }
  static T k(int t) { return set1(round_constant_from_memory(t)); }
  static T lane_index() {
    return _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  }
  static uint32_t le_mask(T x, uint32_t bound) { return _mm512_cmple_epu32_mask(x, set1(bound)); }
};

}  // namespace

uint64_t scan_avx512(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits) {
  return Sha256dLanes<Avx512Lanes>::scan(k, start, count, hits);
}

void compress_avx512(uint32_t* state, const uint8_t* const* blocks) {
  Sha256dLanes<Avx512Lanes>::compress(state, blocks);
}

}  // namespace synthminer::hashcore::kernels
