#include "vgpu/quantum/quantum_state.h"

#include <cstring>

namespace jarvis::quantum {

StateVector::StateVector(unsigned qubits)
    : qubits_(qubits),
      data_(static_cast<double*>(
          ::operator new[](sizeof(double) * 2 * (uint64_t{1} << qubits), std::align_val_t{64}))) {
  std::memset(data_.get(), 0, sizeof(double) * 2 * size());
  data_[0] = 1.0;
}

void StateVector::copy_from(const StateVector& other) {
  std::memcpy(data_.get(), other.data_.get(), sizeof(double) * 2 * size());
}

}  // namespace jarvis::quantum
