// The state vector: 2^n complex doubles, interleaved (re, im), 64-byte
// aligned. Index bit q is qubit q.
#pragma once

#include <cstdint>
#include <memory>
#include <new>

#include "vgpu/quantum/kernels/quantum_kernels.h"

namespace jarvis::quantum {

class StateVector {
 public:
  /// Allocates 16 * 2^qubits bytes (throws std::bad_alloc) and sets |0...0>.
  explicit StateVector(unsigned qubits);

  unsigned qubits() const { return qubits_; }
  /// Number of amplitudes, 2^qubits.
  uint64_t size() const { return uint64_t{1} << qubits_; }
  double* data() { return data_.get(); }
  const double* data() const { return data_.get(); }
  Complex amplitude(uint64_t index) const { return {data_[2 * index], data_[2 * index + 1]}; }
  void set_amplitude(uint64_t index, Complex value) {
    data_[2 * index] = value.real();
    data_[2 * index + 1] = value.imag();
  }
  /// Copies another state of the same size into this one.
  void copy_from(const StateVector& other);

 private:
  struct AlignedDelete {
    void operator()(double* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };
  unsigned qubits_;
  std::unique_ptr<double[], AlignedDelete> data_;
};

}  // namespace jarvis::quantum
