// The arithmetic of the CUDA state-vector kernels, one function per thread
// index, compiled by nvcc for the device and by the host compiler for the
// tests (tests/vgpu/cuda_state_logic_test.cpp runs every index on the CPU
// and compares with the host Executor, GPU or not).
//
// The state is 2^n complex doubles, interleaved (re, im), index bit q is
// qubit q, as in quantum_state.h. A kernel thread `k` handles one pair or
// one amplitude; the ranges are given beside each function.
#pragma once

#include <cstdint>

#include "vgpu/quantum/quantum_ops.h"

#if defined(__CUDACC__)
#define JARVIS_HD __host__ __device__ __forceinline__
#else
#define JARVIS_HD inline
#endif

namespace jarvis::gpu::kernels {

/// A 2x2 complex matrix, row-major (u0 u1 / u2 u3), as (re, im) pairs.
struct Mat2 {
  double re[4];
  double im[4];
};

/// The matrix (or, for diag and phase, the factors u0, u1) of a lowered gate.
inline Mat2 to_mat2(const quantum::Op& op) {
  Mat2 m{};
  for (unsigned j = 0; j < 4; ++j) {
    m.re[j] = op.u[j].real();
    m.im[j] = op.u[j].imag();
  }
  return m;
}

/// k in [0, 2^(n-1)): the pair (i0, i0 | 2^t) with bit t of i0 clear.
JARVIS_HD uint64_t pair_base(uint64_t k, unsigned t) {
  const uint64_t low = k & ((uint64_t{1} << t) - 1);
  return ((k >> t) << (t + 1)) | low;
}

/// kMatrix: u on qubit t where every bit of `controls` is 1. k in [0, 2^(n-1)).
JARVIS_HD void matrix_thread(double* a, uint64_t k, unsigned t, uint64_t controls, const Mat2& u) {
  const uint64_t i0 = pair_base(k, t);
  if ((i0 & controls) != controls) return;
  const uint64_t i1 = i0 | (uint64_t{1} << t);
  const double r0 = a[2 * i0], m0 = a[2 * i0 + 1];
  const double r1 = a[2 * i1], m1 = a[2 * i1 + 1];
  a[2 * i0] = (u.re[0] * r0 - u.im[0] * m0) + (u.re[1] * r1 - u.im[1] * m1);
  a[2 * i0 + 1] = (u.re[0] * m0 + u.im[0] * r0) + (u.re[1] * m1 + u.im[1] * r1);
  a[2 * i1] = (u.re[2] * r0 - u.im[2] * m0) + (u.re[3] * r1 - u.im[3] * m1);
  a[2 * i1 + 1] = (u.re[2] * m0 + u.im[2] * r0) + (u.re[3] * m1 + u.im[3] * r1);
}

/// Multiplies amplitude i by (re, im).
JARVIS_HD void scale_amplitude(double* a, uint64_t i, double re, double im) {
  const double r = a[2 * i], m = a[2 * i + 1];
  a[2 * i] = re * r - im * m;
  a[2 * i + 1] = re * m + im * r;
}

/// kDiag: u0 where bit t is 0, u1 where it is 1. i in [0, 2^n).
JARVIS_HD void diag_thread(double* a, uint64_t i, unsigned t, const Mat2& u) {
  const unsigned b = (i >> t) & 1;
  scale_amplitude(a, i, u.re[b], u.im[b]);
}

/// kPhase: u0 on amplitudes with every bit of `mask` set. i in [0, 2^n).
JARVIS_HD void phase_thread(double* a, uint64_t i, uint64_t mask, const Mat2& u) {
  if ((i & mask) == mask) scale_amplitude(a, i, u.re[0], u.im[0]);
}

/// kSwap: swaps (b | off0) with (b | off1) where every bit of `controls` is
/// 1; the thread whose index is the (b | off0) side does it, so each pair
/// moves once. i in [0, 2^n).
JARVIS_HD void swap_thread(double* a, uint64_t i, uint64_t off0, uint64_t off1, uint64_t controls) {
  const uint64_t offs = off0 | off1;
  if ((i & offs) != off0 || (i & controls) != controls) return;
  const uint64_t j = (i & ~offs) | off1;
  const double r = a[2 * i], m = a[2 * i + 1];
  a[2 * i] = a[2 * j];
  a[2 * i + 1] = a[2 * j + 1];
  a[2 * j] = r;
  a[2 * j + 1] = m;
}

/// Collapse: keeps amplitudes whose bit q is `outcome`, times `scale`, and
/// zeroes the others. i in [0, 2^n).
JARVIS_HD void collapse_thread(double* a, uint64_t i, unsigned q, unsigned outcome, double scale) {
  if (((i >> q) & 1) == outcome) {
    a[2 * i] *= scale;
    a[2 * i + 1] *= scale;
  } else {
    a[2 * i] = 0.0;
    a[2 * i + 1] = 0.0;
  }
}

/// |a_i|^2.
JARVIS_HD double norm_of(const double* a, uint64_t i) {
  return a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
}

}  // namespace jarvis::gpu::kernels
