// Cache blocking for the gate kernels: planning passes over a state in
// chunks, translating gates into a chunk's coordinates, gathering a chunk
// into a contiguous buffer and back, and applying a gate list to an array
// through such a buffer (single threaded; the Executor does the same with
// threads). A second level (L2 chunk -> L1 sub-chunk of 2^11 amplitudes)
// was tried with apply_blocked and measured no faster on the depth-20
// benchmark, so the Executor applies gates to its chunks directly.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "vgpu/quantum/kernels/quantum_dense.h"
#include "vgpu/quantum/kernels/quantum_kernels.h"
#include "vgpu/quantum/quantum_ops.h"

namespace jarvis::quantum {

/// One pass: the gates it applies, in order, and the qubits a chunk holds.
struct Pass {
  uint64_t chunk_qubits = 0;  ///< exactly `block` qubits (or all, for small arrays)
  std::vector<Op> ops;
};

/// Splits `ops` (no measure) on an array of 2^m amplitudes into passes whose
/// needed qubits (op_needs) fit in a chunk of 2^block. A pass also takes any
/// later gate whose qubits are disjoint from every gate left for later
/// passes (disjoint gates commute, so this reordering is exact). The lowest
/// `low_qubits` qubits (default 4; at most block/2) are always
/// in the chunk so that gathered runs are long, and the chunk is filled up
/// with the lowest remaining qubits.
std::vector<Pass> plan_passes(std::span<const Op> ops, unsigned m, unsigned block,
                              std::optional<unsigned> low_qubits = std::nullopt);

/// `op` in the coordinates of the chunk whose qubits are `chunk_qubits` and
/// whose index bits outside them are `chunk_base`: false when it does
/// nothing there (an outside control or phase bit is 0). A diagonal gate on
/// an outside qubit becomes a phase on the whole chunk.
bool localize(const Op& op, uint64_t chunk_qubits, uint64_t chunk_base, Op& out);

/// Applies `ops` (all qubits < m) to amps[0 .. 2^m) directly with the
/// kernels; kDense ops with `dense` (best_dense_kernels() when not given).
void apply_direct(const KernelTable& kernels, const DenseKernels& dense, double* amps, unsigned m,
                  std::span<const Op> ops);
void apply_direct(const KernelTable& kernels, double* amps, unsigned m, std::span<const Op> ops);
/// The same on a float32 array: every op must be kDense.
void apply_direct32(const DenseKernels& dense, float* amps, unsigned m, std::span<const Op> ops);

/// Applies `ops` to amps[0 .. 2^m) through `buffer` (2^block amplitudes,
/// 2^(block+1) doubles): pass by pass, chunk by chunk, gathered, applied
/// and scattered back. On the calling thread; `scratch` is reused memory.
void apply_blocked(const KernelTable& kernels, double* amps, unsigned m, std::span<const Op> ops,
                   unsigned block, double* buffer, std::vector<Op>& scratch);

/// Bits of x deposited, lowest first, at the set bits of mask (like BMI2 pdep).
uint64_t deposit(uint64_t x, uint64_t mask);
/// The bits of x at the set bits of mask, packed low (like BMI2 pext).
uint64_t extract(uint64_t x, uint64_t mask);

/// Runs of a chunk inside its array: the chunk's qubits include 0..p-1, so it
/// is 2^(block-p) runs of 2^p contiguous amplitudes at these offsets.
struct ChunkRuns {
  unsigned run_log2 = 0;
  bool in_place = false;  ///< the chunk is contiguous (qubits 0..block-1)
  std::vector<uint64_t> offsets;
};
ChunkRuns chunk_runs(uint64_t chunk_qubits, unsigned block);
/// Copies a chunk between the array at `base` and a contiguous buffer; T is
/// double (float64 states) or float (float32).
template <typename T>
void gather(const ChunkRuns& runs, const T* amps, uint64_t base, T* buffer);
template <typename T>
void scatter(const ChunkRuns& runs, const T* buffer, T* amps, uint64_t base);

}  // namespace jarvis::quantum
