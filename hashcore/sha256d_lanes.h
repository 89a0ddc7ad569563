// The sha256d scan written once over a "vector policy" V and instantiated by
// the scalar, AVX2 and AVX-512 backends (each in its own file, with its own
// ISA flags). V provides: T, kLanes, set1, add, ror<n>, shr<n>, xor3, ch,
// maj, bswap, lane_index and le_mask(x, bound) -> bitmask of lanes x <= bound.
//
// Everything here is a template on V, so every instantiation is private to
// the ISA file that makes it: no AVX-512 code can leak into generic callers.
//
// What makes it fast (ScanConstants holds the nonce-independent part):
//  - first hash: rounds 0..3 and W16/W17 come precomputed; rounds 4..15 add
//    compile-time K+W; W18..W32 fold their constant terms;
//  - second hash: the input's padding (W8..W15) and the IV are constants, so
//    round 0 and the h+K of rounds 1..3 fold, and W16..W31 drop zero terms;
//  - version rolls: headers that differ only in their first block share the
//    second block's message schedule, so first_hash_multi computes it once
//    for several midstates;
//  - early exit: only H7 = IV7 + e61 decides a candidate, so rounds 57..60
//    compute e alone and rounds 61..63 are never run.
#pragma once

#include <cstdint>
#include <utility>

#include "hashcore/prefilter.h"
#include "hashcore/sha256_constants.h"

// The round functions also compile as CUDA device code (hashcore/cuda).
#if defined(__CUDACC__)
#define SYNTHMINER_LANES_FN __host__ __device__ __forceinline__
#else
#define SYNTHMINER_LANES_FN
#endif

namespace synthminer::hashcore {

/// K[t] through a pointer the optimiser cannot see into: CPU policies use it
/// so constants are added straight from memory instead of being built in a
/// general register and broadcast first (a port-5 uop each).
static inline uint32_t round_constant_from_memory(int t) {
  const uint32_t* k = kK;
  __asm__("" : "+r"(k));
  return k[t];
}

template <class V>
struct Sha256dLanes {
  using T = typename V::T;

  SYNTHMINER_LANES_FN static T c(uint32_t x) { return V::set1(x); }
  SYNTHMINER_LANES_FN static T add(T a, T b) { return V::add(a, b); }
  SYNTHMINER_LANES_FN static T add(T a, T b, T c) { return V::add(V::add(a, b), c); }
  SYNTHMINER_LANES_FN static T bsig0(T x) {
    return V::xor3(V::template ror<2>(x), V::template ror<13>(x), V::template ror<22>(x));
  }
  SYNTHMINER_LANES_FN static T bsig1(T x) {
    return V::xor3(V::template ror<6>(x), V::template ror<11>(x), V::template ror<25>(x));
  }
  SYNTHMINER_LANES_FN static T ssig0(T x) {
    return V::xor3(V::template ror<7>(x), V::template ror<18>(x), V::template shr<3>(x));
  }
  SYNTHMINER_LANES_FN static T ssig1(T x) {
    return V::xor3(V::template ror<17>(x), V::template ror<19>(x), V::template shr<10>(x));
  }

  struct St {
    T a, b, c, d, e, f, g, h;
  };

  /// One round, given hkw = h + K[t] + W[t].
  SYNTHMINER_LANES_FN static void round_hkw(St& s, T hkw) {
    const T t1 = add(hkw, V::ch(s.e, s.f, s.g), bsig1(s.e));
    const T t2 = add(bsig0(s.a), V::maj(s.a, s.b, s.c));
    s.h = s.g;
    s.g = s.f;
    s.f = s.e;
    s.e = add(s.d, t1);
    s.d = s.c;
    s.c = s.b;
    s.b = s.a;
    s.a = add(t1, t2);
  }
  /// One round, given kw = K[t] + W[t].
  SYNTHMINER_LANES_FN static void round(St& s, T kw) { round_hkw(s, add(s.h, kw)); }
  /// A round that computes e only; `a` goes stale. Only for the last rounds
  /// before the early exit, whose a values nothing reads.
  SYNTHMINER_LANES_FN static void round_e_only(St& s, T kw) {
    const T t1 = add(add(s.h, kw), V::ch(s.e, s.f, s.g), bsig1(s.e));
    s.h = s.g;
    s.g = s.f;
    s.f = s.e;
    s.e = add(s.d, t1);
    s.d = s.c;
    s.c = s.b;
    s.b = s.a;
  }
  SYNTHMINER_LANES_FN static T schedule(const T* w, int t) {
    return add(add(ssig1(w[t - 2]), w[t - 7]), add(ssig0(w[t - 15]), w[t - 16]));
  }

  template <int kFirst, int kLast, class F>
  SYNTHMINER_LANES_FN static void unrolled(F&& f) {
    [&]<int... kI>(std::integer_sequence<int, kI...>) {
      (f(std::integral_constant<int, kFirst + kI>{}), ...);
    }
    (std::make_integer_sequence<int, kLast - kFirst + 1>{});
  }

  /// f(0) .. f(kN - 1), unrolled: the lockstep states stay in registers.
  template <int kN, class F>
  SYNTHMINER_LANES_FN static void for_each(F&& f) {
    [&]<int... kJ>(std::integer_sequence<int, kJ...>) {
      (f(kJ), ...);
    }
    (std::make_integer_sequence<int, kN>{});
  }

  /// The first hash: compresses the header's second block (W3 = the
  /// byte-swapped nonce) into the midstate. Writes the 8 state words to out.
  SYNTHMINER_LANES_FN static void first_hash(const ScanConstants& k, T w3, T* out) {
    T states[1][8];
    first_hash_multi<1>(&k, w3, states);
    for (int i = 0; i < 8; ++i) out[i] = states[0][i];
  }

  /// The first hash of kN headers that differ only in their first block
  /// (version rolls: the same second block under kN midstates). Their
  /// message schedule is the same, so it is computed once and the kN
  /// compressions run in lockstep beside it. k[0..kN) must agree on every
  /// field but the midstate's (w0..w2 and what follows from them).
  template <int kN>
  SYNTHMINER_LANES_FN static void first_hash_multi(const ScanConstants* k, T w3, T (&out)[kN][8]) {
    St s[kN];
    for_each<kN>([&](int j) {
      s[j] = St{add(c(k[j].a4_base), w3), c(k[j].a3), c(k[j].b3), c(k[j].c3),
                add(c(k[j].e4_base), w3), c(k[j].e3), c(k[j].f3), c(0)};
      round_hkw(s[j], c(k[j].hkw4));
      round_hkw(s[j], c(k[j].hkw5));
      round_hkw(s[j], c(k[j].hkw6));
    });
    unrolled<7, 14>(
        [&](auto t) { for_each<kN>([&](int j) { round(s[j], V::k(t)); }); });  // W7..W14 = 0
    for_each<kN>([&](int j) {
      round(s[j], c(kK15Plus640));
      round(s[j], c(k[0].kw16));
      round(s[j], c(k[0].kw17));
    });

    const ScanConstants& shared = k[0];
    T w[64];
    w[18] = add(c(shared.w18_base), ssig0(w3));
    w[19] = add(c(shared.w19_base), w3);
    w[20] = add(ssig1(w[18]), c(0x80000000u));
    w[21] = ssig1(w[19]);
    w[22] = add(ssig1(w[20]), c(640));
    w[23] = add(ssig1(w[21]), c(shared.w16));
    w[24] = add(ssig1(w[22]), c(shared.w17));
    unrolled<25, 29>([&](auto t) { w[t] = add(ssig1(w[t - 2]), w[t - 7]); });
    w[30] = add(ssig1(w[28]), w[23], c(small_sigma0(640)));
    w[31] = add(ssig1(w[29]), w[24], c(shared.w31_add));
    w[32] = add(ssig1(w[30]), w[25], c(shared.w32_add));
    w[33] = add(add(ssig1(w[31]), w[26]), add(ssig0(w[18]), c(shared.w17)));
    unrolled<18, 33>([&](auto t) {
      const T kw = add(w[t], V::k(t));
      for_each<kN>([&](int j) { round(s[j], kw); });
    });
    unrolled<34, 63>([&](auto t) {
      w[t] = schedule(w, t);
      const T kw = add(w[t], V::k(t));
      for_each<kN>([&](int j) { round(s[j], kw); });
    });

    for_each<kN>([&](int j) {
      out[j][0] = add(s[j].a, c(k[j].midstate[0]));
      out[j][1] = add(s[j].b, c(k[j].midstate[1]));
      out[j][2] = add(s[j].c, c(k[j].midstate[2]));
      out[j][3] = add(s[j].d, c(k[j].midstate[3]));
      out[j][4] = add(s[j].e, c(k[j].midstate[4]));
      out[j][5] = add(s[j].f, c(k[j].midstate[5]));
      out[j][6] = add(s[j].g, c(k[j].midstate[6]));
      out[j][7] = add(s[j].h, c(k[j].midstate[7]));
    });
  }

  // Round 0 of the second hash starts from the IV: all but W0 is constant.
  static constexpr uint32_t kT1Round0 =
      kIV[7] + big_sigma1(kIV[4]) + ch(kIV[4], kIV[5], kIV[6]) + kK[0];
  static constexpr uint32_t kA1Base = kT1Round0 + big_sigma0(kIV[0]) + maj(kIV[0], kIV[1], kIV[2]);
  static constexpr uint32_t kE1Base = kIV[3] + kT1Round0;
  // h + K of rounds 1..3 (h is still an IV word there), and the K+W of the
  // padding words; named so CUDA device code can use them as immediates.
  static constexpr uint32_t kHkw1Base = kIV[6] + kK[1];
  static constexpr uint32_t kHkw2Base = kIV[5] + kK[2];
  static constexpr uint32_t kHkw3Base = kIV[4] + kK[3];
  static constexpr uint32_t kK8Padding = kK[8] + 0x80000000u;
  static constexpr uint32_t kK15Plus256 = kK[15] + 256;
  static constexpr uint32_t kK15Plus640 = kK[15] + 640;

  /// The second hash (SHA-256 of the 32-byte first hash), run only as far as
  /// its last word: returns H7 = IV7 + e61, the word that holds the most
  /// significant 32 bits of the result.
  SYNTHMINER_LANES_FN static T second_hash_h7(const T* h1) {
    T w[61];
    for (int i = 0; i < 8; ++i) w[i] = h1[i];
    St s{add(c(kA1Base), w[0]), c(iv_at(0)), c(iv_at(1)), c(iv_at(2)),
         add(c(kE1Base), w[0]), c(iv_at(4)), c(iv_at(5)), c(iv_at(6))};
    round_hkw(s, add(w[1], c(kHkw1Base)));
    round_hkw(s, add(w[2], c(kHkw2Base)));
    round_hkw(s, add(w[3], c(kHkw3Base)));
    unrolled<4, 7>([&](auto t) { round(s, add(w[t], V::k(t))); });
    round(s, c(kK8Padding));  // W8: padding bit
    unrolled<9, 14>([&](auto t) { round(s, V::k(t)); });
    round(s, c(kK15Plus256));  // W15: 256-bit length

    w[16] = add(ssig0(w[1]), w[0]);
    w[17] = add(ssig0(w[2]), w[1], c(small_sigma1(256)));
    unrolled<18, 21>([&](auto t) { w[t] = add(ssig1(w[t - 2]), ssig0(w[t - 15]), w[t - 16]); });
    w[22] = add(add(ssig1(w[20]), ssig0(w[7])), add(w[6], c(256)));
    w[23] = add(add(ssig1(w[21]), w[16]), add(w[7], c(small_sigma0(0x80000000u))));
    w[24] = add(ssig1(w[22]), w[17], c(0x80000000u));
    unrolled<25, 29>([&](auto t) { w[t] = add(ssig1(w[t - 2]), w[t - 7]); });
    w[30] = add(ssig1(w[28]), w[23], c(small_sigma0(256)));
    w[31] = add(add(ssig1(w[29]), w[24]), add(ssig0(w[16]), c(256)));
    unrolled<16, 31>([&](auto t) { round(s, add(w[t], V::k(t))); });
    unrolled<32, 56>([&](auto t) {
      w[t] = schedule(w, t);
      round(s, add(w[t], V::k(t)));
    });
    unrolled<57, 60>([&](auto t) {
      w[t] = schedule(w, t);
      round_e_only(s, add(w[t], V::k(t)));
    });
    return add(s.e, c(iv_at(7)));
  }

  /// The scan kernel (see ScanKernel in prefilter.h). flatten: GCC would
  /// otherwise keep the unrolled lambdas as calls and spill the state.
  [[gnu::flatten]] static uint64_t scan(const ScanConstants& k, uint32_t start, uint64_t count,
                                        PrefilterHits& hits) {
    constexpr uint32_t kLanes = V::kLanes;
    const T lanes = V::lane_index();
    uint64_t done = 0;
    while (done < count && hits.size + kLanes <= PrefilterHits::kCapacity) {
      const uint32_t base = start + static_cast<uint32_t>(done);
      // Lanes past 2^32 - 1 wrap here, but the mask below drops them.
      const T nonce = add(c(base), lanes);
      T h1[8];
      first_hash(k, V::bswap(nonce), h1);
      uint32_t mask = V::le_mask(V::bswap(second_hash_h7(h1)), k.target_top);
      const uint64_t left = count - done;
      if (left < kLanes) mask &= (1u << left) - 1;
      while (mask != 0) {
        hits.nonce[hits.size++] = base + static_cast<uint32_t>(__builtin_ctz(mask));
        mask &= mask - 1;
      }
      done += left < kLanes ? left : kLanes;
    }
    return done;
  }

  /// Plain SHA-256 compression of one block per lane (see CompressLanes).
  static void compress(uint32_t* state, const uint8_t* const* blocks) {
    constexpr uint32_t kLanes = V::kLanes;
    T w[64];
    for (int t = 0; t < 16; ++t) {
      uint32_t words[kLanes];
      for (uint32_t lane = 0; lane < kLanes; ++lane) {
        const uint8_t* p = blocks[lane] + 4 * t;
        words[lane] = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) |
                      uint32_t{p[3]};
      }
      w[t] = V::load(words);
    }
    for (int t = 16; t < 64; ++t) w[t] = schedule(w, t);
    T in[8];
    for (int i = 0; i < 8; ++i) in[i] = V::load(state + i * kLanes);
    St s{in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]};
    for (int t = 0; t < 64; ++t) round(s, add(w[t], c(kK[t])));
    const T out[8] = {s.a, s.b, s.c, s.d, s.e, s.f, s.g, s.h};
    for (int i = 0; i < 8; ++i) V::store(state + i * kLanes, add(in[i], out[i]));
  }
};

}  // namespace synthminer::hashcore
