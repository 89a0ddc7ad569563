// The state vector: 2^n complex amplitudes, interleaved (re, im), 64-byte
// aligned, as doubles (float64) or floats (float32). Index bit q is qubit q.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <new>

#include "vgpu/quantum/kernels/quantum_kernels.h"
#include "vgpu/quantum/quantum_precision.h"

namespace jarvis::quantum {

class StateVector {
 public:
  /// Allocates amplitude_bytes(precision) * 2^qubits bytes (throws
  /// std::bad_alloc) and sets |0...0>.
  explicit StateVector(unsigned qubits, Precision precision = Precision::kFloat64);

  unsigned qubits() const { return qubits_; }
  Precision precision() const { return precision_; }
  /// Number of amplitudes, 2^qubits.
  uint64_t size() const { return uint64_t{1} << qubits_; }
  /// The amplitudes of a float64 state.
  double* data() {
    assert(precision_ == Precision::kFloat64);
    return static_cast<double*>(data_.get());
  }
  const double* data() const {
    assert(precision_ == Precision::kFloat64);
    return static_cast<const double*>(data_.get());
  }
  /// The amplitudes of a float32 state.
  float* data32() {
    assert(precision_ == Precision::kFloat32);
    return static_cast<float*>(data_.get());
  }
  const float* data32() const {
    assert(precision_ == Precision::kFloat32);
    return static_cast<const float*>(data_.get());
  }
  /// Amplitude `index`, widened to double in a float32 state.
  Complex amplitude(uint64_t index) const {
    if (precision_ == Precision::kFloat32) {
      const float* f = data32();
      return {f[2 * index], f[2 * index + 1]};
    }
    return {data()[2 * index], data()[2 * index + 1]};
  }
  /// Sets amplitude `index` (rounded to float in a float32 state).
  void set_amplitude(uint64_t index, Complex value);
  /// Copies another state of the same size and precision into this one.
  void copy_from(const StateVector& other);

 private:
  struct AlignedDelete {
    void operator()(void* p) const { ::operator delete[](p, std::align_val_t{64}); }
  };
  unsigned qubits_;
  Precision precision_;
  std::unique_ptr<void, AlignedDelete> data_;
};

}  // namespace jarvis::quantum
