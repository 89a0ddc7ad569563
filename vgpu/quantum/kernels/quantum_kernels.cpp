#include "vgpu/quantum/kernels/quantum_kernels.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "hashcore/cpu_features.h"
#include "vgpu/quantum/kernels/quantum_kernels_avx2.h"
#include "vgpu/quantum/kernels/quantum_rng.h"

namespace jarvis::quantum {
namespace {

// Runs every kernel, on several targets and control patterns, over the same
// random 2^8-amplitude state with `table`; returns the final amplitudes.
std::vector<double> exercise(const KernelTable& table) {
  constexpr unsigned kM = 8;
  std::vector<double> a(2u << kM);
  Xoshiro256 rng(0x5eed);
  for (double& v : a) v = rng.uniform() - 0.5;
  const double h = std::sqrt(0.5);
  const Complex u[4] = {Complex(h, 0.1), Complex(0.3, -h), Complex(-0.2, 0.7), Complex(h, h)};
  for (unsigned t : {0u, 1u, 3u, 7u}) {
    table.matrix(a.data(), kM, t, 0, u);
    table.matrix(a.data(), kM, t, t == 0 ? 0x82u : 0x01u, u);
    table.diag(a.data(), kM, t, Complex(0.6, -0.8), Complex(-0.28, 0.96));
    table.phase(a.data(), kM, (1u << t) | 0x10u, Complex(0.0, 1.0));
    table.swap(a.data(), kM, 0, 1u << t, t == 0 ? 0x40u : 0x01u);
  }
  table.swap(a.data(), kM, 0x01, 0x20, 0);
  table.pair_matrix(a.data(), a.data() + 2 * 97, 51, u);
  a[0] += table.norm(a.data(), 1u << kM);
  a[1] += table.norm(a.data() + 2, 3);
  return a;
}

bool same_as_generic(const KernelTable& table) {
  const std::vector<double> want = exercise(generic_kernels());
  const std::vector<double> got = exercise(table);
  return std::memcmp(want.data(), got.data(), want.size() * sizeof(double)) == 0;
}

}  // namespace

const KernelTable* avx2_kernels() {
  static const KernelTable* const table = [] {
    const KernelTable* t = compiled_avx2_kernels();
    return t != nullptr && synthminer::hashcore::detect_cpu_features().avx2 ? t : nullptr;
  }();
  return table;
}

const KernelTable& best_kernels() {
  static const KernelTable* const table = [] {
    const KernelTable* t = avx2_kernels();
    // A fast path that disagrees with the portable one is dropped, not trusted.
    return t != nullptr && same_as_generic(*t) ? t : &generic_kernels();
  }();
  return *table;
}

}  // namespace jarvis::quantum
