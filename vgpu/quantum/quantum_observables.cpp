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

namespace {

// sum_i sign(i) conj(a[i ^ x_mask]) a[i] and the norm, summed in double
// whatever the state's precision.
template <typename Real>
void pauli_sums(const Real* a, uint64_t size, const PauliString& pauli, double& re, double& im,
                double& norm) {
  for (uint64_t i = 0; i < size; ++i) {
    const uint64_t j = i ^ pauli.x_mask;
    const double sign = (std::popcount(i & pauli.z_mask) & 1) != 0 ? -1.0 : 1.0;
    const double ar = a[2 * i], ai = a[2 * i + 1], br = a[2 * j], bi = a[2 * j + 1];
    re += sign * (br * ar + bi * ai);
    im += sign * (br * ai - bi * ar);
    norm += ar * ar + ai * ai;
  }
}

}  // namespace

double expectation(const StateVector& state, const PauliString& pauli, uint64_t* flops) {
  // P|i> = i^{#Y} (-1)^{popcount(i & z_mask)} |i ^ x_mask>, so
  // <psi|P|psi> = i^{#Y} sum_i (-1)^{...} conj(psi[i ^ x_mask]) psi[i]. The
  // sum times i^{#Y} is real for a Hermitian P; only that part is kept.
  double re = 0.0, im = 0.0, norm = 0.0;
  if (state.precision() == Precision::kFloat32) {
    pauli_sums(state.data32(), state.size(), pauli, re, im, norm);
  } else {
    pauli_sums(state.data(), state.size(), pauli, re, im, norm);
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
