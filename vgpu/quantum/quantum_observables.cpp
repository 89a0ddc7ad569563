#include "vgpu/quantum/quantum_observables.h"

#include <algorithm>
#include <bit>
#include <vector>

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

// The plain sums, one term per amplitude: sum_i sign(i) conj(a[i ^ x]) a[i]
// as (re, im), and the norm; summed in double whatever the state's precision.
template <typename Real>
void pauli_sums_plain(const Real* a, uint64_t size, const PauliString& pauli, double& re,
                      double& im, double& norm) {
  for (uint64_t i = 0; i < size; ++i) {
    const uint64_t j = i ^ pauli.x_mask;
    const double sign = (std::popcount(i & pauli.z_mask) & 1) != 0 ? -1.0 : 1.0;
    const double ar = a[2 * i], ai = a[2 * i + 1], br = a[2 * j], bi = a[2 * j + 1];
    re += sign * (br * ar + bi * ai);
    im += sign * (br * ai - bi * ar);
    norm += ar * ar + ai * ai;
  }
}

// Amplitudes a block of pairs (4 KiB of float64 partners, staged in L1).
constexpr uint64_t kPairBlock = 256;

// One block of `count` (at most kPairBlock) pairs: a[m] with b[m ^ xl], each
// term signed by low_sign[m] (the caller applies the block's sign). kReal:
// the real part of w = conj(b) a is wanted, else its imaginary part;
// kDiagonal: b is a itself (x = 0), so its squares are not counted twice.
// Four partial sums, so the additions do not wait on each other.
template <bool kReal, bool kDiagonal, typename Real>
void pair_block(const Real* a, const Real* b, uint64_t count, uint64_t xl, const double* low_sign,
                double (&sum)[4], double (&sq)[4]) {
  for (uint64_t m = 0; m < count; ++m) {
    const uint64_t n = m ^ xl;
    const double ar = a[2 * m], ai = a[2 * m + 1];
    const double br = b[2 * n], bi = b[2 * n + 1];
    const double w = kReal ? br * ar + bi * ai : br * ai - bi * ar;
    sum[m & 3] += low_sign[m] * w;
    sq[m & 3] += kDiagonal ? ar * ar + ai * ai : ar * ar + ai * ai + br * br + bi * bi;
  }
}

// The same sums as pauli_sums_plain, four times faster or more
// (quantum_bench BM_Expectation, docs/PERFORMANCE.md):
// - the terms of i and j = i ^ x are taken together, reading each amplitude
//   once: with w = conj(a[j]) a[i] and c = (-1)^{popcount(x & z)}, their sum
//   is sign(i) (w + c conj(w)): 2 Re(w) when c = 1, 2i Im(w) when c = -1;
// - sign(i) is its block's sign times a table's for the low bits, not a
//   popcount per amplitude.
template <bool kReal, bool kDiagonal, typename Real>
double paired_sum(const Real* a, uint64_t size, uint64_t x, uint64_t z, double& norm) {
  // i runs over the indices whose bit `top` (x's highest) is clear; all of them when x is 0.
  const uint64_t half = kDiagonal ? size : uint64_t{1} << (std::bit_width(x) - 1);
  const uint64_t block = std::min(half, kPairBlock);
  const uint64_t low = block - 1;
  double low_sign[kPairBlock];
  for (uint64_t m = 0; m < block; ++m) low_sign[m] = (std::popcount(m & z) & 1) != 0 ? -1.0 : 1.0;
  const uint64_t xl = x & low;
  // b's block, read in order: its terms come in the order m ^ xl, which the
  // hardware's prefetching does not follow (a load stalled on memory for
  // each new line of b, 76 % of the time before).
  std::vector<Real> staged(xl != 0 ? 2 * block : 0);
  double total = 0.0;
  double sq[4] = {0, 0, 0, 0};
  for (uint64_t base = 0; base < size; base += 2 * half) {
    for (uint64_t first = base; first < base + half; first += block) {
      const Real* b = a + 2 * ((first ^ x) & ~low);
      if (xl != 0) {
        std::copy(b, b + 2 * block, staged.begin());
        b = staged.data();
      }
      double sum[4] = {0, 0, 0, 0};
      pair_block<kReal, kDiagonal>(a + 2 * first, b, block, xl, low_sign, sum, sq);
      const double block_sign = (std::popcount(first & z) & 1) != 0 ? -1.0 : 1.0;
      total += block_sign * ((sum[0] + sum[1]) + (sum[2] + sum[3]));
    }
  }
  norm += (sq[0] + sq[1]) + (sq[2] + sq[3]);
  // With x = 0 every i was visited once and w = |a_i|^2: no doubling.
  return kDiagonal ? total : 2.0 * total;
}

template <typename Real>
void pauli_sums_paired(const Real* a, uint64_t size, const PauliString& pauli, double& re,
                       double& im, double& norm) {
  const uint64_t x = pauli.x_mask, z = pauli.z_mask;
  if (x == 0) {
    re += paired_sum<true, true>(a, size, x, z, norm);
  } else if ((std::popcount(x & z) & 1) == 0) {  // c = 1
    re += paired_sum<true, false>(a, size, x, z, norm);
  } else {
    im += paired_sum<false, false>(a, size, x, z, norm);
  }
}

// <psi|P|psi> / <psi|psi> from the sums: (re + i im) times i^{#Y}, real part.
template <typename Sums>
double expectation_from(const StateVector& state, const PauliString& pauli, uint64_t* flops,
                        Sums sums) {
  // P|i> = i^{#Y} (-1)^{popcount(i & z_mask)} |i ^ x_mask>, so
  // <psi|P|psi> = i^{#Y} sum_i (-1)^{...} conj(psi[i ^ x_mask]) psi[i]. The
  // sum times i^{#Y} is real for a Hermitian P; only that part is kept.
  double re = 0.0, im = 0.0, norm = 0.0;
  if (state.precision() == Precision::kFloat32) {
    sums(state.data32(), state.size(), pauli, re, im, norm);
  } else {
    sums(state.data(), state.size(), pauli, re, im, norm);
  }
  if (flops != nullptr) *flops += 12 * state.size() + 2;
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

}  // namespace

double expectation(const StateVector& state, const PauliString& pauli, uint64_t* flops) {
  return expectation_from(
      state, pauli, flops,
      [](const auto* a, uint64_t size, const PauliString& p, double& re, double& im, double& norm) {
        pauli_sums_paired(a, size, p, re, im, norm);
      });
}

double expectation_reference(const StateVector& state, const PauliString& pauli) {
  return expectation_from(
      state, pauli, nullptr,
      [](const auto* a, uint64_t size, const PauliString& p, double& re, double& im, double& norm) {
        pauli_sums_plain(a, size, p, re, im, norm);
      });
}

}  // namespace jarvis::quantum
