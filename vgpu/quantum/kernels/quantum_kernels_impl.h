// The gate kernels' one implementation, included by quantum_kernels_generic.cpp
// and quantum_kernels_avx2.cpp with QUANTUM_KERNELS_NS set to a namespace
// name. Do not include it anywhere else.
//
// A V4 holds two complex amplitudes (re0, im0, re1, im1). A complex multiply
// by c is x * (cr, cr, ..) + swap(x) * (-ci, ci, ..), the same IEEE operations
// in the same order in the vector and the scalar paths, so results do not
// depend on how a state was split into runs and chunks.
#ifndef QUANTUM_KERNELS_NS
#error "define QUANTUM_KERNELS_NS before including quantum_kernels_impl.h"
#endif

#include <bit>
#include <cstring>
#include <utility>

#include "vgpu/quantum/kernels/quantum_kernels.h"

namespace jarvis::quantum::QUANTUM_KERNELS_NS {
namespace {

#if defined(__AVX__)
typedef double V4 __attribute__((vector_size(32)));

inline V4 make4(double a, double b, double c, double d) {
  return V4{a, b, c, d};
}
inline V4 swap_re_im(V4 x) {
  return __builtin_shufflevector(x, x, 1, 0, 3, 2);
}
// (v0 w0) and (v1 w1): the first / second amplitudes of two V4s.
inline V4 firsts(V4 v, V4 w) {
  return __builtin_shufflevector(v, w, 0, 1, 4, 5);
}
inline V4 seconds(V4 v, V4 w) {
  return __builtin_shufflevector(v, w, 2, 3, 6, 7);
}
inline V4 swap_amplitudes(V4 x) {
  return __builtin_shufflevector(x, x, 2, 3, 0, 1);
}
inline double lane_sum(V4 x) {
  return (x[0] + x[1]) + (x[2] + x[3]);
}
#else
// Without AVX a V4 is two SSE2 halves, each one amplitude: GCC lowers
// 32-byte vector shuffles through memory otherwise. Lane for lane the same
// IEEE operations as the AVX build.
typedef double V2 __attribute__((vector_size(16)));
struct V4 {
  V2 lo;
  V2 hi;
};
inline V4 operator*(V4 a, V4 b) {
  return {a.lo * b.lo, a.hi * b.hi};
}
inline V4 operator+(V4 a, V4 b) {
  return {a.lo + b.lo, a.hi + b.hi};
}
inline V4& operator+=(V4& a, V4 b) {
  return a = a + b;
}
inline V4 make4(double a, double b, double c, double d) {
  return {V2{a, b}, V2{c, d}};
}
inline V4 swap_re_im(V4 x) {
  return {__builtin_shufflevector(x.lo, x.lo, 1, 0), __builtin_shufflevector(x.hi, x.hi, 1, 0)};
}
inline V4 firsts(V4 v, V4 w) {
  return {v.lo, w.lo};
}
inline V4 seconds(V4 v, V4 w) {
  return {v.hi, w.hi};
}
inline V4 swap_amplitudes(V4 x) {
  return {x.hi, x.lo};
}
inline double lane_sum(V4 x) {
  return (x.lo[0] + x.lo[1]) + (x.hi[0] + x.hi[1]);
}
#endif

inline V4 load(const double* p) {
  V4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(double* p, V4 v) {
  std::memcpy(p, &v, sizeof v);
}
inline V4 broadcast(double v) {
  return make4(v, v, v, v);
}

// A complex coefficient pair as the two vectors the multiply needs.
struct VCoef {
  V4 re;
  V4 im;
};
inline VCoef coef(Complex c) {
  return {broadcast(c.real()), make4(-c.imag(), c.imag(), -c.imag(), c.imag())};
}
// Two different coefficients, c0 for the first amplitude of a V4, c1 for the second.
inline VCoef coef2(Complex c0, Complex c1) {
  return {make4(c0.real(), c0.real(), c1.real(), c1.real()),
          make4(-c0.imag(), c0.imag(), -c1.imag(), c1.imag())};
}
inline V4 cmul(V4 x, const VCoef& c) {
  return x * c.re + swap_re_im(x) * c.im;
}

// Scalar twins of the above, lane for lane.
struct S2 {
  double re;
  double im;
};
inline S2 cmul(S2 x, Complex c) {
  return {x.re * c.real() + x.im * -c.imag(), x.im * c.real() + x.re * c.imag()};
}
inline S2 add(S2 a, S2 b) {
  return {a.re + b.re, a.im + b.im};
}
inline S2 load_s(const double* p) {
  return {p[0], p[1]};
}
inline void store_s(double* p, S2 v) {
  p[0] = v.re;
  p[1] = v.im;
}

// Calls fn(base, len) for each maximal contiguous run of indices in [0, 2^m)
// that are 0 on every bit of `involved`; len = 2^(lowest involved bit). The
// next run's base is the next integer above the current run that is 0 on
// `involved`: ((base | involved | (len - 1)) + 1) & ~involved.
template <typename Fn>
inline void for_each_run(unsigned m, uint64_t involved, Fn&& fn) {
  const unsigned low = involved == 0 ? m : static_cast<unsigned>(std::countr_zero(involved));
  const uint64_t len = uint64_t{1} << low;
  const uint64_t end = uint64_t{1} << m;
  const uint64_t skip = involved | (len - 1);
  for (uint64_t base = 0; base < end; base = ((base | skip) + 1) & ~involved) fn(base, len);
}

void scale_run(double* p, uint64_t len, Complex c) {
  const VCoef vc = coef(c);
  uint64_t i = 0;
  for (; i + 2 <= len; i += 2) store(p + 2 * i, cmul(load(p + 2 * i), vc));
  for (; i < len; ++i) store_s(p + 2 * i, cmul(load_s(p + 2 * i), c));
}

// The 2x2 matrix u on the pairs (p0[i], p1[i]), i < count.
void k_pair_matrix(double* p0, double* p1, uint64_t count, const Complex* u) {
  const VCoef m00 = coef(u[0]), m01 = coef(u[1]), m10 = coef(u[2]), m11 = coef(u[3]);
  uint64_t i = 0;
  for (; i + 2 <= count; i += 2) {
    const V4 x = load(p0 + 2 * i);
    const V4 y = load(p1 + 2 * i);
    store(p0 + 2 * i, cmul(x, m00) + cmul(y, m01));
    store(p1 + 2 * i, cmul(x, m10) + cmul(y, m11));
  }
  for (; i < count; ++i) {
    const S2 x = load_s(p0 + 2 * i);
    const S2 y = load_s(p1 + 2 * i);
    store_s(p0 + 2 * i, add(cmul(x, u[0]), cmul(y, u[1])));
    store_s(p1 + 2 * i, add(cmul(x, u[2]), cmul(y, u[3])));
  }
}

void k_matrix(double* a, unsigned m, unsigned t, uint64_t controls, const Complex* u) {
  if (t == 0) {
    // Pairs are neighbours: two V4s (a0 a1) (a2 a3) are regrouped as
    // (a0 a2) (a1 a3), updated like any other pair, and put back.
    const VCoef m00 = coef(u[0]), m01 = coef(u[1]), m10 = coef(u[2]), m11 = coef(u[3]);
    for_each_run(m, controls, [&](uint64_t base, uint64_t len) {
      double* p = a + 2 * (base | controls);
      uint64_t i = 0;
      for (; i + 4 <= len; i += 4) {
        const V4 v = load(p + 2 * i);
        const V4 w = load(p + 2 * i + 4);
        const V4 x = firsts(v, w);
        const V4 y = seconds(v, w);
        const V4 nx = cmul(x, m00) + cmul(y, m01);
        const V4 ny = cmul(x, m10) + cmul(y, m11);
        store(p + 2 * i, firsts(nx, ny));
        store(p + 2 * i + 4, seconds(nx, ny));
      }
      for (; i < len; i += 2) k_pair_matrix(p + 2 * i, p + 2 * i + 2, 1, u);
    });
    return;
  }
  if (controls == 0) {
    const uint64_t stride = uint64_t{1} << t;
    for (uint64_t base = 0; base < (uint64_t{1} << m); base += 2 * stride) {
      k_pair_matrix(a + 2 * base, a + 2 * (base + stride), stride, u);
    }
    return;
  }
  const uint64_t stride = uint64_t{1} << t;
  for_each_run(m, stride | controls, [&](uint64_t base, uint64_t len) {
    double* p0 = a + 2 * (base | controls);
    k_pair_matrix(p0, p0 + 2 * stride, len, u);
  });
}

void k_diag(double* a, unsigned m, unsigned t, Complex d0, Complex d1) {
  const uint64_t n = uint64_t{1} << m;
  if (t == 0) {
    const VCoef c = coef2(d0, d1);
    for (uint64_t i = 0; i < n; i += 2) store(a + 2 * i, cmul(load(a + 2 * i), c));
    return;
  }
  const uint64_t stride = uint64_t{1} << t;
  for (uint64_t base = 0; base < n; base += 2 * stride) {
    scale_run(a + 2 * base, stride, d0);
    scale_run(a + 2 * (base + stride), stride, d1);
  }
}

void k_phase(double* a, unsigned m, uint64_t mask, Complex ph) {
  for_each_run(m, mask,
               [&](uint64_t base, uint64_t len) { scale_run(a + 2 * (base | mask), len, ph); });
}

void k_swap(double* a, unsigned m, uint64_t off0, uint64_t off1, uint64_t controls) {
  if (off0 == 0 && off1 == 1 && controls == 0) {
    // X on qubit 0: swap the two amplitudes inside each V4.
    for (uint64_t i = 0; i < (uint64_t{2} << m); i += 4) {
      const V4 x = load(a + i);
      store(a + i, swap_amplitudes(x));
    }
    return;
  }
  for_each_run(m, off0 | off1 | controls, [&](uint64_t base, uint64_t len) {
    double* p0 = a + 2 * (base | controls | off0);
    double* p1 = a + 2 * (base | controls | off1);
    if (len >= 2) {
      for (uint64_t i = 0; i < 2 * len; i += 4) {
        const V4 x = load(p0 + i);
        store(p0 + i, load(p1 + i));
        store(p1 + i, x);
      }
    } else {
      std::swap(p0[0], p1[0]);
      std::swap(p0[1], p1[1]);
    }
  });
}

double k_norm(const double* a, uint64_t count) {
  V4 acc = broadcast(0.0);
  uint64_t i = 0;
  for (; i + 2 <= count; i += 2) {
    const V4 x = load(a + 2 * i);
    acc += x * x;
  }
  double sum = lane_sum(acc);
  for (; i < count; ++i) sum += a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1];
  return sum;
}

}  // namespace

extern const KernelTable kTable;
const KernelTable kTable = {
    QUANTUM_KERNELS_NAME, k_matrix, k_pair_matrix, k_diag, k_phase, k_swap, k_norm};

}  // namespace jarvis::quantum::QUANTUM_KERNELS_NS
