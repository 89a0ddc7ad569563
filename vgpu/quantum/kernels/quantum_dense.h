// The dense-gate kernel: a 2^k x 2^k complex matrix (k <= 3 qubits) applied
// in place to a contiguous array of 2^m amplitudes, in float64 or float32
// (interleaved re, im). Fused gates (quantum_gate_fusion.h) and every gate of
// a float32 run go through it. One implementation (quantum_dense_impl.h)
// compiled for the baseline ISA, AVX2+FMA and AVX-512; the fastest one this
// CPU runs is chosen at first use after a self-test against the baseline.
//
// Unlike the float64 kernels of quantum_kernels.h these are built with FMA
// contraction, and the order of the sums depends on the vector width, so
// results differ between instruction sets by rounding (~1e-16 relative in
// float64, ~1e-7 in float32), not bit for bit.
//
// FLOPs, counted as executed: per output amplitude 2^k complex multiplies
// (6 each) and 2^k - 1 complex adds (2 each): (8 * 2^k - 2) * 2^m.
#pragma once

#include <cstdint>

#include "vgpu/quantum/kernels/quantum_kernels.h"

namespace jarvis::quantum {

/// Signature of a dense kernel: applies `mat` (row-major, 2^k x 2^k; bit j of
/// a row or column index is the amplitude's bit at targets[j]) to amps[0 ..
/// 2^m). targets: k distinct qubits < m, ascending, 1 <= k <= 3.
template <typename T>
using DenseFn = void (*)(T* amps, unsigned m, unsigned k, const unsigned* targets,
                         const Complex* mat);

struct DenseKernels {
  const char* name;
  DenseFn<double> dense64;
  DenseFn<float> dense32;
};

/// The portable kernels (always present).
const DenseKernels& generic_dense_kernels();
/// The fastest table this CPU runs that agreed with the portable one, to
/// rounding, on a self-test over every target layout at first use.
const DenseKernels& best_dense_kernels();
/// Every table compiled in and runnable on this CPU, portable first.
const DenseKernels* const* runnable_dense_kernels(unsigned& count);

/// FLOPs of one dense k-qubit gate on 2^m amplitudes.
inline uint64_t dense_flops(unsigned k, unsigned m) {
  return ((uint64_t{8} << k) - 2) << m;
}

}  // namespace jarvis::quantum
