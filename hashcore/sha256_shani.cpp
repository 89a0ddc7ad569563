// SHA-NI backend: sha256rnds2 runs two rounds on a state held in two
// registers (ABEF and CDGH). Compiled with -msha -msse4.1 -mssse3 (this file
// only); intrinsics, plain arrays and file-local functions only, so nothing
// here can be shared by the linker with code built for older CPUs.
//
// Measured on Sapphire Rapids: rnds2 has latency 4 and issues once per 3
// cycles; msg1 and msg2 share part of its unit (msg1 costs about 2 rnds2
// cycles), while plain SSE runs beside it. Hence:
//  - 4 nonces per step, interleaved, so the unit always has an rnds2 ready
//    (2-way ran 7% slower, 3-way 2%; 4-way spills a little, which is cheap);
//  - rnds2 count is cut to 60 per nonce, 30 per hash: the first hash starts
//    from ScanConstants' state before round 4 (only a and e depend on W3, by
//    addition); the second folds round 0 (a1, e1 = constant + W0) and stops
//    after round 60, whose e gives H7 = IV7 + e61, the prefilter's word;
//  - constant message words and K+W sums are folded, W16..W19 of the first
//    hash come in closed form;
//  - the scan computes sigma0 with SSE shifts instead of msg1 (msg1 on one
//    group in four, or all, ran 1-8% slower).
#include <immintrin.h>

#include <utility>

#include "hashcore/backend_kernels.h"
#include "hashcore/sha256_constants.h"

// Each lane loop must become straight-line code, or the lane arrays stay in
// memory.
#define SHANI_INLINE __attribute__((always_inline))

namespace synthminer::hashcore::kernels {
namespace {

constexpr int kWays = 4;  // nonces per step

template <int kFirst, class F, int... kI>
SHANI_INLINE inline void unrolled(F& f, std::integer_sequence<int, kI...>) {
  (f(std::integral_constant<int, kFirst + kI>{}), ...);
}
/// f(i) for i = kFirst..kLast, i a compile-time constant.
template <int kFirst, int kLast, class F>
SHANI_INLINE inline void unrolled(F&& f) {
  unrolled<kFirst>(f, std::make_integer_sequence<int, kLast - kFirst + 1>{});
}

/// Four words, element 0 first: W[t] sits in element 0, as rnds2 reads it.
inline __m128i vec(uint32_t e0, uint32_t e1, uint32_t e2, uint32_t e3) {
  return _mm_setr_epi32(static_cast<int>(e0), static_cast<int>(e1), static_cast<int>(e2),
                        static_cast<int>(e3));
}
inline __m128i add(__m128i a, __m128i b) {
  return _mm_add_epi32(a, b);
}
/// K[t..t+3], any t: folds to an aligned constant.
inline __m128i k4(int t) {
  return vec(kK[t], kK[t + 1], kK[t + 2], kK[t + 3]);
}
/// W[t+1..t+4] from W[t..t+3] and W[t+4..t+7].
inline __m128i shift1(__m128i hi, __m128i lo) {
  return _mm_alignr_epi8(hi, lo, 4);
}

/// Four rounds, kw = K+W of each. The registers swap roles at each rnds2.
inline void rounds4(__m128i& abef, __m128i& cdgh, __m128i kw) {
  cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
  abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0e));
}

/// sigma0 of each word as two shift-xor chains (few copies in 2-operand SSE):
/// (x >> 3) ^ (x >> 7) ^ (x >> 18) ^ (x << 14) ^ (x << 25).
inline __m128i ssig0(__m128i x) {
  __m128i r = _mm_xor_si128(_mm_srli_epi32(x, 11), x);
  r = _mm_srli_epi32(_mm_xor_si128(_mm_srli_epi32(r, 4), x), 3);
  const __m128i l = _mm_slli_epi32(_mm_xor_si128(_mm_slli_epi32(x, 11), x), 14);
  return _mm_xor_si128(r, l);
}

/// W[t-16] + sigma0(W[t-15]) for four t, from W[t-16..t-13] and W[t-12..t-9].
template <bool kHw>
inline __m128i msg1(__m128i m0, __m128i m1) {
  if constexpr (kHw) {
    return _mm_sha256msg1_epu32(m0, m1);
  } else {
    return add(m0, ssig0(shift1(m1, m0)));
  }
}

/// W[t..t+3] from W[t-16..t-1] in m0..m3.
template <bool kHw>
inline __m128i schedule(__m128i m0, __m128i m1, __m128i m2, __m128i m3) {
  return _mm_sha256msg2_epu32(add(msg1<kHw>(m0, m1), shift1(m3, m2)), m3);
}

/// Words A..D, E..H in element order to the ABEF/CDGH pair, and back.
inline void to_abef(__m128i dcba, __m128i hgfe, __m128i& abef, __m128i& cdgh) {
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
  abef = _mm_alignr_epi8(cdab, efgh, 8);
  cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
}
inline void from_abef(__m128i abef, __m128i cdgh, __m128i& dcba, __m128i& hgfe) {
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
  dcba = _mm_blend_epi16(feba, dchg, 0xf0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
}

// Round 0 of the second hash starts from the IV: a1 and e1 are these + W0.
constexpr uint32_t kT1Round0 = kIV[7] + big_sigma1(kIV[4]) + ch(kIV[4], kIV[5], kIV[6]) + kK[0];
constexpr uint32_t kA1Base = kT1Round0 + big_sigma0(kIV[0]) + maj(kIV[0], kIV[1], kIV[2]);
constexpr uint32_t kE1Base = kIV[3] + kT1Round0;

/// The job's constants in register form, made once per call.
struct Consts {
  __m128i abef4, cdgh4;        // first hash before round 4, W3 not yet added
  __m128i w16;                 // W16..W19 less their W3 terms
  __m128i c20, c28;            // nonce-free terms of W20..W23 and W28..W31
  __m128i mid_abef, mid_cdgh;  // the midstate, added after round 63
  __m128i target;
};

Consts make_consts(const ScanConstants& k) {
  Consts c;
  // Before round 4: (a4_base + W3, a3, b3, c3, e4_base + W3, e3, f3, g3),
  // and hkw4 = g3 + K4 + W4 with W4 the padding bit.
  const uint32_t g3 = k.hkw4 - kK[4] - 0x80000000u;
  c.abef4 = vec(k.e3, k.e4_base, k.a3, k.a4_base);
  c.cdgh4 = vec(g3, k.f3, k.c3, k.b3);
  c.w16 = vec(k.w16, k.w17, k.w18_base, k.w19_base);
  // W20..23 = sigma1(W18..21) + (2^31, 0, 640, W16), all else being zero;
  // W28..31 = sigma1(W26..29) + W21..24 + (0, 0, sigma0(640), 640 + sigma0(W16)).
  c.c20 = vec(0x80000000u, 0, 640, k.w16);
  c.c28 = vec(0, 0, small_sigma0(640), k.w31_add);
  to_abef(vec(k.midstate[0], k.midstate[1], k.midstate[2], k.midstate[3]),
          vec(k.midstate[4], k.midstate[5], k.midstate[6], k.midstate[7]), c.mid_abef, c.mid_cdgh);
  c.target = _mm_set1_epi32(static_cast<int>(k.target_top));
  return c;
}

/// Hashes nonces base..base+N-1 (N <= 4); bit j set when lane j's H7 passes.
template <int N>
SHANI_INLINE inline uint32_t step(const Consts& c, uint32_t base) {
  const __m128i bswap = _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  const __m128i zero = _mm_setzero_si128();
  // W3 of four nonces (past 2^32 - 1 they wrap; the caller masks those).
  const __m128i w3 =
      _mm_shuffle_epi8(add(_mm_set1_epi32(static_cast<int>(base)), vec(0, 1, 2, 3)), bswap);
  // Lane j adds (0, W3, 0, W3) to a and e, and (0, 0, sigma0(W3), W3) to W16..19.
  const __m128i w3lo = _mm_unpacklo_epi32(zero, w3), w3hi = _mm_unpackhi_epi32(zero, w3);
  const __m128i s0w3 = ssig0(w3);
  const __m128i swlo = _mm_unpacklo_epi32(s0w3, w3), swhi = _mm_unpackhi_epi32(s0w3, w3);

  // m[j] is a ring of four message groups: group g lives in m[j][g % 4].
  __m128i abef[N], cdgh[N], m[N][4];
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    const __m128i q = j < 2 ? w3lo : w3hi, sw = j < 2 ? swlo : swhi;
    abef[j] = add(c.abef4, _mm_shuffle_epi32(q, j % 2 ? 0xee : 0x44));
    cdgh[j] = c.cdgh4;
    m[j][0] = add(c.w16, j % 2 ? _mm_unpackhi_epi64(zero, sw) : _mm_slli_si128(sw, 8));
  });
  // First hash, rounds 4..15: W4 = padding bit, W5..W14 = 0, W15 = 640.
  const __m128i kw4 = vec(kK[4] + 0x80000000u, kK[5], kK[6], kK[7]);
  const __m128i kw12 = vec(kK[12], kK[13], kK[14], kK[15] + 640);
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE { rounds4(abef[j], cdgh[j], kw4); });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE { rounds4(abef[j], cdgh[j], k4(8)); });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE { rounds4(abef[j], cdgh[j], kw12); });
  // W20..W31: msg1 of the constant groups folds into c20, 0 and c28.
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    w[1] = _mm_sha256msg2_epu32(c.c20, w[0]);
    rounds4(abef[j], cdgh[j], add(w[0], k4(16)));
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    w[2] = _mm_sha256msg2_epu32(shift1(w[1], w[0]), w[1]);
    rounds4(abef[j], cdgh[j], add(w[1], k4(20)));
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    w[3] = _mm_sha256msg2_epu32(add(c.c28, shift1(w[2], w[1])), w[2]);
    rounds4(abef[j], cdgh[j], add(w[2], k4(24)));
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE { rounds4(abef[j], cdgh[j], add(m[j][3], k4(28))); });
  unrolled<8, 15>([&](auto g) SHANI_INLINE {
    unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
      __m128i* w = m[j];
      w[g % 4] = schedule<false>(w[g % 4], w[(g + 1) % 4], w[(g + 2) % 4], w[(g + 3) % 4]);
      rounds4(abef[j], cdgh[j], add(w[g % 4], k4(4 * g)));
    });
  });

  // Second hash of W0..W7 = the first hash, W8 = padding bit, W15 = 256.
  // With round 0 folded, step i runs rounds 4i+1..4i+4 on shift1(M[i+1], M[i])
  // + K[4i+1..], where M[i] = W[4i..4i+3]; that shift1 also feeds the schedule.
  const __m128i abef1 = vec(kIV[4], kE1Base, kIV[0], kA1Base);
  const __m128i cdgh1 = vec(kIV[6], kIV[5], kIV[2], kIV[1]);
  const __m128i m2 = vec(0x80000000u, 0, 0, 0), m3 = vec(0, 0, 0, 256);
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    from_abef(add(abef[j], c.mid_abef), add(cdgh[j], c.mid_cdgh), w[0], w[1]);
    abef[j] = _mm_blend_epi16(abef1, add(abef1, _mm_shuffle_epi32(w[0], 0x00)), 0xcc);
    cdgh[j] = cdgh1;
    rounds4(abef[j], cdgh[j], add(shift1(w[1], w[0]), k4(1)));
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    rounds4(abef[j], cdgh[j], add(shift1(m2, m[j][1]), k4(5)));
    rounds4(abef[j], cdgh[j], k4(9));  // W9..W12 = 0
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    const __m128i w16 = _mm_sha256msg2_epu32(msg1<false>(w[0], w[1]), m3);
    const __m128i w20 = _mm_sha256msg2_epu32(add(msg1<false>(w[1], m2), shift1(w16, m3)), w16);
    w[0] = w16;
    w[1] = w20;
    rounds4(abef[j], cdgh[j], add(shift1(w16, m3), k4(13)));
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    // msg1 of W8..W15 is the padding bit alone.
    w[2] = _mm_sha256msg2_epu32(add(m2, shift1(w[1], w[0])), w[1]);
    rounds4(abef[j], cdgh[j], add(shift1(w[1], w[0]), k4(17)));
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    __m128i* w = m[j];
    w[3] = _mm_sha256msg2_epu32(add(msg1<false>(m3, w[0]), shift1(w[2], w[1])), w[2]);
    rounds4(abef[j], cdgh[j], add(shift1(w[2], w[1]), k4(21)));
  });
  unrolled<8, 15>([&](auto g) SHANI_INLINE {
    unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
      __m128i* w = m[j];
      w[g % 4] = schedule<false>(w[g % 4], w[(g + 1) % 4], w[(g + 2) % 4], w[(g + 3) % 4]);
      rounds4(abef[j], cdgh[j], add(shift1(w[(g + 3) % 4], w[(g + 2) % 4]), k4(4 * g - 7)));
    });
  });
  unrolled<0, N - 1>([&](auto j) SHANI_INLINE {
    rounds4(abef[j], cdgh[j], add(shift1(m[j][3], m[j][2]), k4(57)));  // rounds 57..60
  });

  // Element 1 (E) of each abef is e61. Gather the lanes, byte-swap H7 and
  // compare unsigned: x <= t exactly when min(x, t) == x.
  const __m128i t01 = _mm_unpacklo_epi32(abef[0], abef[N > 1 ? 1 : 0]);
  const __m128i t23 = _mm_unpacklo_epi32(abef[N > 2 ? 2 : 0], abef[N > 3 ? 3 : 0]);
  const __m128i h7 = _mm_shuffle_epi8(
      add(_mm_unpackhi_epi64(t01, t23), _mm_set1_epi32(static_cast<int>(kIV[7]))), bswap);
  const __m128i le = _mm_cmpeq_epi32(_mm_min_epu32(h7, c.target), h7);
  return static_cast<uint32_t>(_mm_movemask_ps(_mm_castsi128_ps(le))) & ((1u << N) - 1);
}

}  // namespace

uint64_t scan_shani(const ScanConstants& k, uint32_t start, uint64_t count, PrefilterHits& hits) {
  const Consts c = make_consts(k);
  uint64_t done = 0;
  while (done < count && hits.size + kWays <= PrefilterHits::kCapacity) {
    const uint32_t base = start + static_cast<uint32_t>(done);
    uint32_t mask = step<kWays>(c, base);
    const uint64_t left = count - done;
    if (left < kWays) mask &= (1u << left) - 1;  // lanes past the range
    while (mask != 0) {
      hits.nonce[hits.size++] = base + static_cast<uint32_t>(__builtin_ctz(mask));
      mask &= mask - 1;
    }
    done += left < kWays ? left : kWays;
  }
  return done;
}

void compress_shani(uint32_t* state, const uint8_t* const* blocks) {
  const __m128i bswap = _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
  __m128i abef, cdgh;
  to_abef(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)),
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), abef, cdgh);
  const __m128i abef0 = abef, cdgh0 = cdgh;
  __m128i w[4];
  for (int i = 0; i < 4; ++i) {
    w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[0] + 16 * i)),
                            bswap);
  }
  // One block is latency-bound: msg1 costs nothing extra here.
  unrolled<0, 15>([&](auto g) SHANI_INLINE {
    if constexpr (g >= 4) {
      w[g % 4] = schedule<true>(w[g % 4], w[(g + 1) % 4], w[(g + 2) % 4], w[(g + 3) % 4]);
    }
    rounds4(abef, cdgh, add(w[g % 4], k4(4 * g)));
  });
  __m128i dcba, hgfe;
  from_abef(add(abef, abef0), add(cdgh, cdgh0), dcba, hgfe);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), hgfe);
}

}  // namespace synthminer::hashcore::kernels

#undef SHANI_INLINE
