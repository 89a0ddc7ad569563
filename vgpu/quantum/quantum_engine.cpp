#include "vgpu/quantum/quantum_engine.h"

#include <algorithm>
#include <utility>

namespace jarvis::quantum {

CpuEngine::CpuEngine(unsigned qubits, const ExecOptions& options)
    : qubits_(qubits), exec_(qubits, options) {}

StateVector& CpuEngine::state(unsigned slot) {
  if (slots_.size() <= slot) slots_.resize(slot + 1);
  if (!slots_[slot]) slots_[slot] = std::make_unique<StateVector>(qubits_, exec_.precision());
  return *slots_[slot];
}

StateVector CpuEngine::take(unsigned slot) {
  StateVector out = std::move(state(slot));
  slots_[slot].reset();
  return out;
}

void CpuEngine::reset(unsigned slot) {
  // A new slot is allocated as |0...0>: no second pass over a large state.
  if (slots_.size() <= slot || !slots_[slot]) {
    state(slot);
    return;
  }
  StateVector& s = *slots_[slot];
  if (s.precision() == Precision::kFloat32) {
    std::fill(s.data32(), s.data32() + 2 * s.size(), 0.0f);
  } else {
    std::fill(s.data(), s.data() + 2 * s.size(), 0.0);
  }
  s.set_amplitude(0, 1.0);
}

void CpuEngine::copy(unsigned dst, unsigned src) {
  state(dst).copy_from(state(src));
}

void CpuEngine::apply(unsigned slot, std::span<const Op> ops) {
  exec_.apply(state(slot), ops);
}

std::array<double, 2> CpuEngine::qubit_probabilities(unsigned slot, unsigned q) {
  return exec_.qubit_probabilities(state(slot), q);
}

void CpuEngine::collapse(unsigned slot, unsigned q, unsigned outcome, double p_outcome) {
  exec_.collapse(state(slot), q, outcome, p_outcome);
}

}  // namespace jarvis::quantum
