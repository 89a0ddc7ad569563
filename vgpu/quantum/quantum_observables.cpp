#include "vgpu/quantum/quantum_observables.h"

#include <bit>

namespace jarvis::quantum {

std::string parse_pauli(const std::string& text, unsigned qubits, PauliString& out) {
  if (text.size() != qubits) {
    return "has " + std::to_string(text.size()) + " letters, expected one per qubit (" +
           std::to_string(qubits) + "), qubit " + std::to_string(qubits - 1) + " first";
  }
  out = PauliString{};
  out.text = text;
  for (size_t k = 0; k < text.size(); ++k) {
    const uint64_t bit = uint64_t{1} << (qubits - 1 - k);
    switch (text[k]) {
      case 'I':
        break;
      case 'X':
        out.x_mask |= bit;
        break;
      case 'Y':
        out.x_mask |= bit;
        out.z_mask |= bit;
        break;
      case 'Z':
        out.z_mask |= bit;
        break;
      default:
        return "letter " + std::to_string(k) + " is not one of I, X, Y, Z";
    }
  }
  return {};
}

double expectation(const StateVector& state, const PauliString& pauli, uint64_t* flops) {
  // P|i> = i^{#Y} (-1)^{popcount(i & z_mask)} |i ^ x_mask>, so
  // <psi|P|psi> = i^{#Y} sum_i (-1)^{...} conj(psi[i ^ x_mask]) psi[i]. The
  // sum times i^{#Y} is real for a Hermitian P; only that part is kept.
  const double* a = state.data();
  double re = 0.0, im = 0.0, norm = 0.0;
  for (uint64_t i = 0; i < state.size(); ++i) {
    const uint64_t j = i ^ pauli.x_mask;
    const double sign = (std::popcount(i & pauli.z_mask) & 1) != 0 ? -1.0 : 1.0;
    // conj(a_j) * a_i
    re += sign * (a[2 * j] * a[2 * i] + a[2 * j + 1] * a[2 * i + 1]);
    im += sign * (a[2 * j] * a[2 * i + 1] - a[2 * j + 1] * a[2 * i]);
    norm += a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
  }
  if (flops != nullptr) *flops += 12 * state.size() + 2;
  // Multiply (re + i im) by i^{#Y} and keep the real part.
  double value = 0.0;
  switch (std::popcount(pauli.x_mask & pauli.z_mask) & 3) {
    case 0:
      value = re;
      break;
    case 1:
      value = -im;
      break;
    case 2:
      value = -re;
      break;
    case 3:
      value = im;
      break;
  }
  return norm > 0.0 ? value / norm : 0.0;
}

}  // namespace jarvis::quantum
