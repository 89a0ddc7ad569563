// AVX2 backend: 8 nonces per step. Compiled with -mavx2 (this file only).
#include <immintrin.h>

#include "hashcore/backend_kernels.h"
#include "hashcore/sha256d_lanes.h"

namespace synthminer::hashcore::kernels {
namespace {

struct Avx2Lanes {
  using T = __m256i;
  static constexpr uint32_t kLanes = 8;
  static T set1(uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static T load(const uint32_t* p) { return _mm256_loadu_si256(reinterpret_cast<const T*>(p)); }
  static void store(uint32_t* p, T x) { _mm256_storeu_si256(reinterpret_cast<T*>(p), x); }
  static T add(T a, T b) { return _mm256_add_epi32(a, b); }
  template <int kN>
  static T ror(T x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, kN), _mm256_slli_epi32(x, 32 - kN));
  }
  template <int kN>
  static T shr(T x) {
    return _mm256_srli_epi32(x, kN);
  }
  static T xor3(T a, T b, T c) { return _mm256_xor_si256(_mm256_xor_si256(a, b), c); }
  static T ch(T e, T f, T g) {
    return _mm256_xor_si256(g, _mm256_and_si256(e, _mm256_xor_si256(f, g)));
  }
  static T maj(T a, T b, T c) {
    return _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(c, _mm256_or_si256(a, b)));
  }
  static T bswap(T x) {
    const T order = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,  //
                                     3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    return _mm256_shuffle_epi8(x, order);
  }
  static T k(int t) { return set1(round_constant_from_memory(t)); }
  static T lane_index() { return _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7); }
  static uint32_t le_mask(T x, uint32_t bound) {
    // No unsigned compare in AVX2: x <= bound exactly when max(x, bound) == bound.
    const T b = set1(bound);
    const T le = _mm256_cmpeq_epi32(_mm256_max_epu32(x, b), b);
    return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(le)));
  }
};

}  // namespace

uint64_t scan_avx2(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits) {
  return Sha256dLanes<Avx2Lanes>::scan(k, start, count, hits);
}

void compress_avx2(uint32_t* state, const uint8_t* const* blocks) {
  Sha256dLanes<Avx2Lanes>::compress(state, blocks);
}

}  // namespace synthminer::hashcore::kernels
