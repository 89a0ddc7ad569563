// StateEngine: where the simulator's state vectors live and how gates reach
// them. The simulator (quantum_simulator.h) does all parsing, fusion,
// branching and sampling against this interface, so the CPU (CpuEngine:
// Executor + StateVector) and a GPU engine (vgpu/cuda) run the same request
// the same way and differ only in floating-point rounding.
//
// An engine holds numbered state slots of one size (2^qubits amplitudes).
// Slot 0 is the main state; the simulator uses slot d + 1 for the branch
// copy at nesting depth d. A slot is allocated at its first use (reset or
// copy). One engine serves one run on one thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "vgpu/quantum/quantum_executor.h"
#include "vgpu/quantum/quantum_ops.h"
#include "vgpu/quantum/quantum_state.h"

namespace jarvis::quantum {

class StateEngine {
 public:
  virtual ~StateEngine() = default;

  virtual unsigned qubits() const = 0;
  /// Sets slot `slot` to |0...0>.
  virtual void reset(unsigned slot) = 0;
  /// Copies slot `src` into slot `dst`.
  virtual void copy(unsigned dst, unsigned src) = 0;
  /// Applies `ops` (no kMeasure among them) to slot `slot` in order.
  virtual void apply(unsigned slot, std::span<const Op> ops) = 0;
  /// {sum of |a|^2 where qubit q is 0, where it is 1}, in a fixed order.
  virtual std::array<double, 2> qubit_probabilities(unsigned slot, unsigned q) = 0;
  /// Projects qubit q onto `outcome` and divides by sqrt(p_outcome).
  virtual void collapse(unsigned slot, unsigned q, unsigned outcome, double p_outcome) = 0;
  /// The amplitudes of slot `slot` in host memory, valid until the next call.
  virtual const StateVector& host_state(unsigned slot) = 0;

  /// FLOPs executed so far (op_flops per gate, plus reductions and collapses).
  virtual uint64_t flops() const = 0;
  /// Host threads the engine uses (1 for a device engine).
  virtual unsigned threads() const = 0;
  /// The kernels' name, e.g. "avx2" or "cuda".
  virtual const char* kernels() const = 0;
  /// The precision of the engine's states; a run whose circuit asks for
  /// another is refused (quantum_simulator.h).
  virtual Precision precision() const { return Precision::kFloat64; }
};

/// The host engine: Executor's chunked, multi-threaded kernels on StateVectors
/// of the precision ExecOptions names.
class CpuEngine final : public StateEngine {
 public:
  CpuEngine(unsigned qubits, const ExecOptions& options);

  unsigned qubits() const override { return qubits_; }
  void reset(unsigned slot) override;
  void copy(unsigned dst, unsigned src) override;
  void apply(unsigned slot, std::span<const Op> ops) override;
  std::array<double, 2> qubit_probabilities(unsigned slot, unsigned q) override;
  void collapse(unsigned slot, unsigned q, unsigned outcome, double p_outcome) override;
  const StateVector& host_state(unsigned slot) override { return state(slot); }
  uint64_t flops() const override { return exec_.flops(); }
  unsigned threads() const override { return exec_.threads(); }
  const char* kernels() const override { return exec_.kernels_name(); }
  Precision precision() const override { return exec_.precision(); }

  /// Slot `slot`, allocated (as |0...0>) when first asked for.
  StateVector& state(unsigned slot);
  /// Moves slot `slot`'s state out (the slot is reallocated if used again).
  StateVector take(unsigned slot);

 private:
  unsigned qubits_;
  Executor exec_;
  std::vector<std::unique_ptr<StateVector>> slots_;
};

}  // namespace jarvis::quantum
