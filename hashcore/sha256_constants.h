// SHA-256 constants (FIPS 180-4 §4.2.2, §5.3.3) and the scalar round
// primitives. Written so the same source compiles as host C++ and as CUDA
// device code: the GPU kernel and the CPU tests share these definitions.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define SYNTHMINER_HD static __host__ __device__ __forceinline__
#else
// static: each translation unit keeps its own copy, so a copy compiled with
// AVX-512 flags can never be picked by the linker for a generic caller.
#define SYNTHMINER_HD static inline
#endif

namespace synthminer::hashcore {

/// Round constants K[0..63].
inline constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/// Initial hash value H(0).
inline constexpr uint32_t kIV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// K[t] and H(0)[i] as constant expressions: how CUDA device code may read
/// these host arrays (nvcc folds a constexpr call with a constant argument).
SYNTHMINER_HD constexpr uint32_t k_at(int t) {
  return kK[t];
}
SYNTHMINER_HD constexpr uint32_t iv_at(int i) {
  return kIV[i];
}

SYNTHMINER_HD constexpr uint32_t rotr(uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}
SYNTHMINER_HD constexpr uint32_t big_sigma0(uint32_t x) {
  return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22);
}
SYNTHMINER_HD constexpr uint32_t big_sigma1(uint32_t x) {
  return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25);
}
SYNTHMINER_HD constexpr uint32_t small_sigma0(uint32_t x) {
  return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3);
}
SYNTHMINER_HD constexpr uint32_t small_sigma1(uint32_t x) {
  return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10);
}
SYNTHMINER_HD constexpr uint32_t ch(uint32_t e, uint32_t f, uint32_t g) {
  return (e & f) ^ (~e & g);
}
SYNTHMINER_HD constexpr uint32_t maj(uint32_t a, uint32_t b, uint32_t c) {
  return (a & b) ^ (a & c) ^ (b & c);
}

/// One SHA-256 round on s = {a, b, c, d, e, f, g, h}, given kw = K[t] + W[t].
SYNTHMINER_HD constexpr void round_step(uint32_t (&s)[8], uint32_t kw) {
  const uint32_t t1 = s[7] + big_sigma1(s[4]) + ch(s[4], s[5], s[6]) + kw;
  const uint32_t t2 = big_sigma0(s[0]) + maj(s[0], s[1], s[2]);
  for (int i = 7; i > 0; --i) s[i] = s[i - 1];
  s[4] += t1;  // s[4] now holds the old d
  s[0] = t1 + t2;
}

/// Reads a big-endian 32-bit word.
SYNTHMINER_HD constexpr uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
SYNTHMINER_HD constexpr void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
SYNTHMINER_HD constexpr uint32_t bswap32(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

}  // namespace synthminer::hashcore
