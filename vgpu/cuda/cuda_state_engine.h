// The simulator's StateEngine on a CUDA device: every state slot is a
// device-resident array of 2^n complex doubles, one kernel launch per gate
// (the arithmetic of state_kernels.h), reductions finished on the host in a
// fixed order. Given a stop token, a long stretch of gates waits for its
// kernels and checks the token every kAmplitudesBetweenChecks amplitudes'
// worth of gates, so a stop is not held up by a whole stretch (launches are
// asynchronous: a check between launches alone would not wait for the GPU).
// Plain C++ header: the CUDA types stay in the .cu file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vgpu/payload/stop_token.h"
#include "vgpu/quantum/quantum_engine.h"

namespace jarvis::gpu {

class CudaStateEngine final : public quantum::StateEngine {
 public:
  /// Gates applied between two checks of the stop token, counted in
  /// amplitudes: 2^30 is 34 GB read and written, about 7 ms at an H200's
  /// rated 4.8 TB/s (reckoned, not measured), against some microseconds for the wait.
  static constexpr uint64_t kAmplitudesBetweenChecks = uint64_t{1} << 30;

  /// Binds the calling thread to device `cuda_index`; allocates nothing yet.
  /// Throws std::runtime_error with the CUDA error when the device is absent.
  /// `stop`, when given, must outlive the engine; apply() throws Stopped.
  CudaStateEngine(int cuda_index, unsigned qubits, const StopToken* stop = nullptr);
  ~CudaStateEngine() override;
  CudaStateEngine(const CudaStateEngine&) = delete;
  CudaStateEngine& operator=(const CudaStateEngine&) = delete;

  unsigned qubits() const override { return qubits_; }
  /// The state operations below throw std::runtime_error on a CUDA error
  /// (e.g. "gpu0: cudaMalloc of 64 MiB: out of memory").
  void reset(unsigned slot) override;
  void copy(unsigned dst, unsigned src) override;
  void apply(unsigned slot, std::span<const quantum::Op> ops) override;
  std::array<double, 2> qubit_probabilities(unsigned slot, unsigned q) override;
  void collapse(unsigned slot, unsigned q, unsigned outcome, double p_outcome) override;
  /// Copies the slot to host memory (one reused buffer).
  const quantum::StateVector& host_state(unsigned slot) override;
  uint64_t flops() const override { return flops_; }
  unsigned threads() const override { return 1; }
  const char* kernels() const override { return "cuda"; }

  /// Waits for every launched kernel (for timing).
  void synchronize();

 private:
  double* slot(unsigned index);

  int device_;
  unsigned qubits_;
  std::vector<double*> slots_;  // device pointers, null until first use
  double* partials_ = nullptr;  // device: 2 sums per reduction block
  std::unique_ptr<quantum::StateVector> host_;
  uint64_t flops_ = 0;
  const StopToken* stop_ = nullptr;
  uint64_t amplitudes_since_check_ = 0;  // of the gates launched since the last check
};

}  // namespace jarvis::gpu
