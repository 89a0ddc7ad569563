#include "vgpu/quantum/quantum_state.h"

#include <cstring>

namespace jarvis::quantum {

StateVector::StateVector(unsigned qubits, Precision precision)
    : qubits_(qubits),
      precision_(precision),
      data_(::operator new[](amplitude_bytes(precision) * (uint64_t{1} << qubits),
                             std::align_val_t{64})) {
  std::memset(data_.get(), 0, amplitude_bytes(precision) * size());
  set_amplitude(0, 1.0);
}

void StateVector::set_amplitude(uint64_t index, Complex value) {
  if (precision_ == Precision::kFloat32) {
    data32()[2 * index] = static_cast<float>(value.real());
    data32()[2 * index + 1] = static_cast<float>(value.imag());
    return;
  }
  data()[2 * index] = value.real();
  data()[2 * index + 1] = value.imag();
}

void StateVector::copy_from(const StateVector& other) {
  assert(other.precision_ == precision_ && other.qubits_ == qubits_);
  std::memcpy(data_.get(), other.data_.get(), amplitude_bytes(precision_) * size());
}

}  // namespace jarvis::quantum
