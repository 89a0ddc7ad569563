// Gate kernels of the state-vector simulator: each acts in place on a
// contiguous array of 2^m complex doubles (interleaved re, im), single
// threaded, with the pair-index trick (a one-qubit gate touches amplitude
// pairs i, i + 2^t; no 2^m x 2^m matrix is ever formed). The executor
// (quantum_executor.h) splits a large state into cache-sized chunks and calls
// these on each chunk from several threads.
//
// One implementation is compiled twice: portable (SSE2 on x86-64) and AVX2,
// both with -ffp-contract=off, so the two give bit-identical amplitudes and a
// seeded run gives the same answer on every x86-64 machine.
//
// FLOPs per call, counted as executed (complex mul = 4 mul + 2 add = 6,
// complex add = 2), with k = number of amplitudes the kernel changes:
//   matrix: per pair 4 complex mul + 2 complex add = 28, pairs = 2^(m-1-controls)
//   diag:   per pair 2 complex mul = 12, pairs = 2^(m-1)
//   phase:  per amplitude 1 complex mul = 6, amplitudes = 2^(m-popcount(mask))
//   swap:   0 (moves only)
//   norm:   per amplitude 2 mul + 2 add = 4, plus 3 adds to combine lanes
#pragma once

#include <complex>
#include <cstdint>

namespace jarvis::quantum {

using Complex = std::complex<double>;

struct KernelTable {
  const char* name;
  /// Applies the 2x2 matrix u (row-major: u[0] u[1] / u[2] u[3]) to qubit t
  /// of amps[0 .. 2^m), only where every bit of `controls` is 1 (t not in it).
  void (*matrix)(double* amps, unsigned m, unsigned t, uint64_t controls, const Complex* u);
  /// Applies u to the pairs (p0[i], p1[i]) for i < count (complex
  /// amplitudes): the inner loop of `matrix`, for callers that hold the two
  /// halves of a high-qubit gate as separate runs. 28 FLOPs per pair.
  void (*pair_matrix)(double* p0, double* p1, uint64_t count, const Complex* u);
  /// Multiplies amplitudes whose bit t is 0 by d0 and those whose bit t is 1 by d1.
  void (*diag)(double* amps, unsigned m, unsigned t, Complex d0, Complex d1);
  /// Multiplies amplitudes whose index has every bit of `mask` set by ph
  /// (mask 0: all of them).
  void (*phase)(double* amps, unsigned m, uint64_t mask, Complex ph);
  /// Swaps amplitude (b | off0) with (b | off1) for every index b that is 0 on
  /// the bits of off0 | off1 | controls, where every bit of `controls` is 1.
  /// X on t: off0 = 0, off1 = 2^t; SWAP(a, b): off0 = 2^a, off1 = 2^b.
  void (*swap)(double* amps, unsigned m, uint64_t off0, uint64_t off1, uint64_t controls);
  /// Sum of |a|^2 over amps[0 .. count), always added in the same order.
  double (*norm)(const double* amps, uint64_t count);
};

/// The portable kernels (always present).
const KernelTable& generic_kernels();
/// The AVX2 kernels, or nullptr when not compiled in or this CPU lacks AVX2.
const KernelTable* avx2_kernels();
/// The fastest table this CPU runs that passed a self-test against the
/// portable one at first use (bit-identical results on a random circuit).
const KernelTable& best_kernels();

/// FLOPs of norm() over `count` amplitudes.
inline uint64_t norm_flops(uint64_t count) {
  return 4 * count + 3;
}

}  // namespace jarvis::quantum
