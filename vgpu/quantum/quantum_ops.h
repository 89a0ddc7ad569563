// Gates lowered to the four kernel operations of quantum_kernels.h, with the
// qubits as bit masks over the state index, and their exact FLOP counts.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "vgpu/quantum/kernels/quantum_kernels.h"
#include "vgpu/quantum/quantum_circuit.h"

namespace jarvis::quantum {

enum class OpKind : uint8_t {
  kMatrix,   ///< 2x2 unitary u on `target`, where all `controls` bits are 1
  kDiag,     ///< u[0] where bit `target` is 0, u[1] where it is 1
  kPhase,    ///< u[0] on amplitudes with every bit of `mask` set
  kSwap,     ///< swap (b|off0) with (b|off1) where all `controls` bits are 1
  kMeasure,  ///< measure `target` in the computational basis
  /// The dense 2^k x 2^k matrix `dense` on the k = popcount(mask) <= 3 qubits
  /// of `mask` (bit j of its row and column index is the j-th lowest of
  /// them): fused gates, and every gate of a float32 run. Made by the
  /// executor, which owns the matrix; never produced by lower().
  kDense,
};

struct Op {
  OpKind kind = OpKind::kMatrix;
  unsigned target = 0;
  uint64_t controls = 0;
  uint64_t off0 = 0;
  uint64_t off1 = 0;
  uint64_t mask = 0;
  std::array<Complex, 4> u{};
  const Complex* dense = nullptr;  ///< kDense: row-major, 4^k entries
  uint32_t clbit = UINT32_MAX;     ///< kMeasure: the classical bit it writes, if any
};

/// The kernel operation that performs `gate`:
///   h, y, rx, ry, u, cu -> matrix; x, cx, ccx, swap, cswap -> swap; z, s,
///   sdg, t, tdg, p, cz, cp -> phase; rz -> diag; measure -> measure.
Op lower(const Gate& gate);

/// FLOPs `op` executes on a 2^n-amplitude state (0 for measure, which the
/// executor counts itself): matrix 28 * 2^(n-1-controls), diag 12 * 2^(n-1),
/// phase 6 * 2^(n-popcount(mask)), swap 0, dense (8 * 2^k - 2) * 2^n.
uint64_t op_flops(const Op& op, unsigned n);

/// The qubits (as a mask) that must lie inside a chunk for `op` to run on it
/// chunk by chunk: a matrix's target, a swap's two offset bits. Controls,
/// phases and diagonal targets can be resolved per chunk from its index.
uint64_t op_needs(const Op& op);

/// Every qubit (as a mask) that `op` reads or changes: ops with disjoint
/// masks commute.
uint64_t op_touches(const Op& op);

}  // namespace jarvis::quantum
