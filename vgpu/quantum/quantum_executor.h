// Executor: applies lowered gates (quantum_ops.h) to a state vector, fast.
//
// Design: a state of n qubits is cut into 2^(n-b) chunks of 2^b amplitudes
// (b = block_qubits, 16 by default: 1 MiB, which fits a core's L2). A pass
// (quantum_blocking.h) takes a set of gates whose "needed" qubits (op_needs)
// fit in b, in order, together with any later gate on qubits disjoint from
// the gates it leaves for later passes (those commute); its chunk qubit set
// S is the needed qubits plus the lowest others, up to b (qubits 0-3 always:
// gathered runs of 16 amplitudes). Each chunk (the
// 2^b amplitudes that agree on every qubit outside S) is gathered into a
// per-thread buffer (or used in place when S is qubits 0..b-1), every gate
// of the pass is applied to it while it sits in cache, and it is written
// back with streaming stores: one pass over memory per pass instead of one
// per gate. Controls and phases on qubits outside S are resolved per chunk
// from the chunk's index. A pass that is one gate on a qubit >= b skips the
// gather and updates its pairs in place, in slices.
//
// Fusion: inside each pass, gates whose qubits all lie in the chunk are
// grouped into dense 4x4 or 8x8 matrices (fusion_qubits 2 or 3,
// quantum_fusion.h), so a chunk is swept once per group.
//
// Precision: a float32 state runs every gate through the dense kernels
// (quantum_dense.h), each gate first made a dense op on the qubits it
// touches (so its controls and phase bits lie in the chunk too).
//
// Threads: chunks (or slices) go to the WorkerPool's threads in contiguous
// ranges; a chunk's result does not depend on which thread ran it, and
// reductions add fixed-size partial sums in index order, so answers are
// identical for every thread count. States of b qubits or fewer run on the
// calling thread. The executor owns its pool and buffers; one executor
// serves one run and is not shared between threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vgpu/payload/stop_token.h"
#include "vgpu/quantum/kernels/quantum_kernels.h"
#include "vgpu/quantum/quantum_blocking.h"
#include "vgpu/quantum/quantum_fusion.h"
#include "vgpu/quantum/quantum_ops.h"
#include "vgpu/quantum/quantum_pool.h"
#include "vgpu/quantum/quantum_state.h"

namespace jarvis::quantum {

struct ExecOptions {
  unsigned threads = 1;  ///< threads for states larger than one chunk (>= 1)
  /// log2 of the chunk size in amplitudes (>= 2); float32 chunks take one
  /// qubit more (the same bytes).
  unsigned block_qubits = 16;
  const KernelTable* kernels = nullptr;  ///< nullptr: best_kernels()
  const DenseKernels* dense = nullptr;   ///< nullptr: best_dense_kernels()
  /// Gates grouped into dense matrices on up to this many qubits inside a
  /// pass: 1 (no grouping), 2 or 3.
  unsigned fusion_qubits = 1;
  /// Low qubits every chunk keeps (plan_passes); nullopt: its default.
  std::optional<unsigned> low_qubits;
  Precision precision = Precision::kFloat64;  ///< of the states this executor runs on
  /// Checked before each pass and between a pass's chunks (apply() then
  /// throws Stopped, the state left half done); null: never.
  const StopToken* stop = nullptr;
};

class Executor {
 public:
  /// An executor for states of `qubits` qubits.
  Executor(unsigned qubits, const ExecOptions& options);

  /// Applies `ops` (no kMeasure among them) to `state` (of the executor's
  /// precision) in order. In float32, every op must touch at most 3 qubits.
  void apply(StateVector& state, std::span<const Op> ops);

  /// {sum of |a|^2 where qubit q is 0, where it is 1}, added in a fixed order.
  std::array<double, 2> qubit_probabilities(const StateVector& state, unsigned q);

  /// Projects qubit q onto `outcome` (0 or 1) and divides by sqrt(p_outcome),
  /// the kept half's sum of |a|^2.
  void collapse(StateVector& state, unsigned q, unsigned outcome, double p_outcome);

  /// FLOPs executed so far (kernel counts of quantum_kernels.h, plus
  /// reductions and collapses).
  uint64_t flops() const { return flops_; }
  unsigned threads() const { return pool_ ? pool_->size() : 1; }
  /// Passes over the whole state made so far (one per chunked segment);
  /// readable from another thread while apply() runs.
  uint64_t passes() const { return passes_.load(std::memory_order_relaxed); }
  const KernelTable& kernels() const { return *kernels_; }
  const DenseKernels& dense_kernels() const { return *dense_; }
  Precision precision() const { return precision_; }
  /// The kernels' name: "avx2" for float64 without fusion, else with the
  /// dense kernels', e.g. "avx2+avx512".
  const char* kernels_name() const { return name_.c_str(); }

 private:
  // Per-thread memory: the gathered chunk (2^b amplitudes) and the pass's
  // gates translated into its coordinates.
  struct WorkerScratch {
    std::vector<double> storage;  // 2^b amplitudes of either precision, and slack
    double* chunk = nullptr;      // 64-byte aligned inside storage
    std::vector<Op> ops;
  };
  template <typename T>
  void run_pass(T* amps, const Pass& pass);
  template <typename T>
  std::array<double, 2> probabilities(const T* amps, unsigned q);
  template <typename T>
  void collapse_amps(T* amps, unsigned q, unsigned outcome, double p_outcome);
  void run_lone_high_gate(double* amps, const Op& op);
  void for_blocks(unsigned block_log2, const std::function<void(uint64_t, uint64_t, unsigned)>& fn);

  unsigned n_;
  unsigned b_;
  const KernelTable* kernels_;
  const DenseKernels* dense_;
  unsigned fusion_qubits_;
  std::optional<unsigned> low_qubits_;
  Precision precision_;
  const StopToken* stop_;  // may be null
  std::string name_;
  DenseStore matrices_;  // of the dense ops of the apply() under way
  std::unique_ptr<WorkerPool> pool_;
  std::vector<WorkerScratch> workers_;  // one per thread
  uint64_t flops_ = 0;
  std::atomic<uint64_t> passes_{0};
};

}  // namespace jarvis::quantum
