#include "vgpu/quantum/kernels/quantum_dense.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "hashcore/cpu_features.h"
#include "vgpu/quantum/kernels/quantum_rng.h"

namespace jarvis::quantum {

// Defined in quantum_dense_{generic,avx2,avx512}.cpp; nullptr when not compiled in.
const DenseKernels* compiled_generic_dense_kernels();
const DenseKernels* compiled_avx2_dense_kernels();
const DenseKernels* compiled_avx512_dense_kernels();

namespace {

// Applies a random 1-, 2- and 3-qubit gate on every target layout of a
// random 2^7-amplitude state (in both precisions) with `table`; returns the
// amplitudes, float32 ones widened.
std::vector<double> exercise(const DenseKernels& table) {
  constexpr unsigned kM = 7;
  Xoshiro256 rng(0xde45e);
  std::vector<double> a64(2u << kM);
  for (double& v : a64) v = rng.uniform() - 0.5;
  std::vector<float> a32(a64.begin(), a64.end());
  std::vector<Complex> mat(64);
  for (Complex& c : mat) c = Complex(rng.uniform() - 0.5, rng.uniform() - 0.5);
  for (unsigned mask = 1; mask < (1u << kM); ++mask) {
    unsigned targets[3];
    unsigned k = 0;
    for (unsigned q = 0; q < kM && k <= 3; ++q) {
      if (mask >> q & 1) targets[k < 3 ? k : 2] = q, ++k;
    }
    if (k > 3) continue;
    table.dense64(a64.data(), kM, k, targets, mat.data());
    table.dense32(a32.data(), kM, k, targets, mat.data());
    // Keep the values near 1: the matrix is not unitary.
    double norm = 0;
    for (double v : a64) norm += v * v;
    const double s = 1.0 / std::sqrt(norm);
    for (double& v : a64) v *= s;
    for (float& v : a32) v = static_cast<float>(v * s);
  }
  a64.insert(a64.end(), a32.begin(), a32.end());
  return a64;
}

bool agrees_with_generic(const DenseKernels& table) {
  const std::vector<double> want = exercise(*compiled_generic_dense_kernels());
  const std::vector<double> got = exercise(table);
  const size_t half = want.size() / 2;
  for (size_t i = 0; i < want.size(); ++i) {
    const double tolerance = i < half ? 1e-12 : 1e-4;
    if (!(std::abs(want[i] - got[i]) <= tolerance)) return false;
  }
  return true;
}

struct Runnable {
  const DenseKernels* tables[3];
  unsigned count = 0;
};

const Runnable& runnable() {
  static const Runnable r = [] {
    Runnable out;
    out.tables[out.count++] = compiled_generic_dense_kernels();
    const auto cpu = synthminer::hashcore::detect_cpu_features();
#if defined(__x86_64__) || defined(__i386__)
    const bool fma = __builtin_cpu_supports("fma");
#else
    const bool fma = false;
#endif
    if (const DenseKernels* t = compiled_avx2_dense_kernels(); t && cpu.avx2 && fma) {
      out.tables[out.count++] = t;
    }
    if (const DenseKernels* t = compiled_avx512_dense_kernels(); t && cpu.avx512 && fma) {
      out.tables[out.count++] = t;
    }
    return out;
  }();
  return r;
}

}  // namespace

const DenseKernels& generic_dense_kernels() {
  return *compiled_generic_dense_kernels();
}

const DenseKernels* const* runnable_dense_kernels(unsigned& count) {
  count = runnable().count;
  return runnable().tables;
}

const DenseKernels& best_dense_kernels() {
  static const DenseKernels* const table = [] {
    const Runnable& r = runnable();
    // The fastest table that agrees with the portable one; one that does not
    // is dropped, not trusted.
    for (unsigned i = r.count; i-- > 1;) {
      if (agrees_with_generic(*r.tables[i])) return r.tables[i];
    }
    return r.tables[0];
  }();
  return *table;
}

}  // namespace jarvis::quantum
