// The dense-gate kernel's one implementation, included by the
// quantum_dense_*.cpp files with DENSE_KERNELS_NS set (one namespace per
// instruction set) and DENSE_F32_LANES / DENSE_F64_LANES, the complex
// amplitudes one SIMD vector holds. Do not include it anywhere else.
//
// A k-qubit gate (k <= 3) is a 2^k x 2^k complex matrix M. With W
// amplitudes per vector, the "lane" qubits 0 .. log2(W)-1 sit inside one
// vector and the others select whole vectors. For a gate whose targets split
// into a low set (a lane mask L) and h high ones, each group of 2^h vectors
// (one per value of the high target bits) becomes
//   out[hr] = sum over hc, over d in subsets of L, of C[hr][hc][d] * xor_d(x[hc])
// where xor_d permutes lanes l -> l ^ d and C[..][d] holds, per lane l, the
// entry M[row(hr, l)][col(hc, l ^ d)]. That is 2^k complex multiply-adds per
// output amplitude (as for a dense product) plus 2^|L| in-register
// permutations per input vector, whatever the targets. L and h are template
// parameters, so every loop is unrolled and every permutation is a constant
// shuffle. Interleaved (re, im) storage; a complex multiply-add is two
// real multiply-adds: acc_re += x * (cr, cr), acc_im += swap(x) * (-ci, ci).
#ifndef DENSE_KERNELS_NS
#error "define DENSE_KERNELS_NS before including quantum_dense_impl.h"
#endif

#include <array>
#include <bit>
#include <cstring>
#include <utility>

#include "vgpu/quantum/kernels/quantum_dense.h"

namespace jarvis::quantum::DENSE_KERNELS_NS {
namespace {

template <typename T, unsigned W>
struct Vec {
  typedef T type __attribute__((vector_size(2 * W * sizeof(T))));
};

template <typename V, size_t... I>
inline V swap_re_im(V x, std::index_sequence<I...>) {
  return __builtin_shufflevector(x, x, (I ^ 1)...);
}
// Lane (amplitude) l takes the amplitude of lane l ^ D.
template <unsigned D, typename V, size_t... I>
inline V xor_lanes(V x, std::index_sequence<I...>) {
  return __builtin_shufflevector(x, x, ((((I >> 1) ^ D) << 1) | (I & 1))...);
}

// Spreads the bits of x over the set bits of mask, lowest first.
constexpr uint64_t spread(uint64_t x, uint64_t mask) {
  uint64_t out = 0;
  for (uint64_t m = mask; m != 0 && x != 0; m &= m - 1, x >>= 1) {
    if (x & 1) out |= m & (~m + 1);
  }
  return out;
}

// The 2^k x 2^k matrix index of a basis state: bit j is the state's bit at
// targets[j].
inline unsigned matrix_index(uint64_t state_bits, const unsigned* targets, unsigned k) {
  unsigned idx = 0;
  for (unsigned j = 0; j < k; ++j)
    idx |= static_cast<unsigned>((state_bits >> targets[j]) & 1) << j;
  return idx;
}

// Vector registers the accumulators of kHc outputs take per group.
template <unsigned kHc>
constexpr unsigned kG_acc() {
  return kHc;
}

template <typename T, unsigned W, unsigned L, unsigned H>
void run(T* a, unsigned m, unsigned k, const unsigned* targets, const Complex* mat) {
  using V = typename Vec<T, W>::type;
  constexpr unsigned kLanes = 2 * W;
  constexpr unsigned kLow = std::popcount(L);
  constexpr unsigned kHc = 1u << H;
  constexpr unsigned kDs = 1u << kLow;
  constexpr unsigned kLaneBits = std::countr_zero(W);
  using Seq = std::make_index_sequence<kLanes>;
  if constexpr (kLow + H > 3 || (kLow + H == 0 && W > 1 && L != 0)) {
    return;  // never dispatched: a gate has at most 3 qubits
  } else {
    // High target positions, in units of whole vectors.
    unsigned high[H > 0 ? H : 1] = {};
    uint64_t high_mask = 0;
    for (unsigned j = 0, h = 0; j < k; ++j) {
      if (targets[j] >= kLaneBits) {
        high[h++] = targets[j] - kLaneBits;
        high_mask |= uint64_t{1} << (targets[j] - kLaneBits);
      }
    }
    uint64_t high_off[kHc];  // offsets of the 2^h vectors of a group, in amplitudes
    for (unsigned hc = 0; hc < kHc; ++hc) high_off[hc] = spread(hc, high_mask) << kLaneBits;

    // Coefficients C[hr][hc][s] for the s-th subset d of L, as (re, im) vectors.
    alignas(64) V cre[kHc][kHc][kDs];
    alignas(64) V cim[kHc][kHc][kDs];
    for (unsigned hr = 0; hr < kHc; ++hr) {
      for (unsigned hc = 0; hc < kHc; ++hc) {
        for (unsigned s = 0; s < kDs; ++s) {
          const uint64_t d = spread(s, L);
          for (unsigned l = 0; l < W; ++l) {
            const uint64_t row_bits = (spread(hr, high_mask) << kLaneBits) | l;
            const uint64_t col_bits = (spread(hc, high_mask) << kLaneBits) | (l ^ d);
            const Complex c =
                mat[(matrix_index(row_bits, targets, k) << k) | matrix_index(col_bits, targets, k)];
            cre[hr][hc][s][2 * l] = static_cast<T>(c.real());
            cre[hr][hc][s][2 * l + 1] = static_cast<T>(c.real());
            cim[hr][hc][s][2 * l] = static_cast<T>(-c.imag());
            cim[hr][hc][s][2 * l + 1] = static_cast<T>(c.imag());
          }
        }
      }
    }

    // Groups go kG at a time, hc outermost: each coefficient loaded serves kG
    // groups, and what stays live (the inputs of one hc, the accumulators of
    // every output) fits the 16 or 32 vector registers.
    constexpr unsigned kG = (4 * kDs + kG_acc<kHc>() <= 24) ? 2 : 1;
    const uint64_t groups = uint64_t{1} << (m - kLaneBits - H);
    auto group_base = [&](uint64_t g) {
      uint64_t v = g;  // insert a 0 bit at each high target position (ascending)
      for (unsigned h = 0; h < H; ++h) {
        v = ((v >> high[h]) << (high[h] + 1)) | (v & ((uint64_t{1} << high[h]) - 1));
      }
      return a + 2 * (v << kLaneBits);
    };
    auto step = [&]<unsigned G>(uint64_t g) {
      T* base[G];
#pragma GCC unroll 2
      for (unsigned gi = 0; gi < G; ++gi) base[gi] = group_base(g + gi);
      V acc[G][kHc] = {};
#pragma GCC unroll 8
      for (unsigned hc = 0; hc < kHc; ++hc) {
        V x[G][kDs];
        V xs[G][kDs];
#pragma GCC unroll 2
        for (unsigned gi = 0; gi < G; ++gi) {
          V in;
          std::memcpy(&in, base[gi] + 2 * high_off[hc], sizeof in);
          const V ins = swap_re_im(in, Seq{});
          [&]<size_t... S>(std::index_sequence<S...>) {
            ((x[gi][S] = xor_lanes<static_cast<unsigned>(spread(S, L))>(in, Seq{}),
              xs[gi][S] = xor_lanes<static_cast<unsigned>(spread(S, L))>(ins, Seq{})),
             ...);
          }
          (std::make_index_sequence<kDs>{});
        }
#pragma GCC unroll 8
        for (unsigned s = 0; s < kDs; ++s) {
#pragma GCC unroll 8
          for (unsigned hr = 0; hr < kHc; ++hr) {
            const V re = cre[hr][hc][s];
            const V im = cim[hr][hc][s];
#pragma GCC unroll 2
            for (unsigned gi = 0; gi < G; ++gi) {
              acc[gi][hr] += x[gi][s] * re;
              acc[gi][hr] += xs[gi][s] * im;
            }
          }
        }
      }
#pragma GCC unroll 2
      for (unsigned gi = 0; gi < G; ++gi) {
#pragma GCC unroll 8
        for (unsigned hr = 0; hr < kHc; ++hr) {
          std::memcpy(base[gi] + 2 * high_off[hr], &acc[gi][hr], sizeof(V));
        }
      }
    };
    uint64_t g = 0;
    for (; g + kG <= groups; g += kG) step.template operator()<kG>(g);
    for (; g < groups; ++g) step.template operator()<1>(g);
  }
}

template <typename T, unsigned W>
using RunFn = void (*)(T*, unsigned, unsigned, const unsigned*, const Complex*);

// run<T, W, L, H> for every lane mask L < W and h <= 3, indexed [L][H].
template <typename T, unsigned W, size_t... I>
constexpr std::array<RunFn<T, W>, sizeof...(I)> make_table(std::index_sequence<I...>) {
  return {&run<T, W, static_cast<unsigned>(I / 4), static_cast<unsigned>(I % 4)>...};
}

template <typename T, unsigned W>
void apply(T* a, unsigned m, unsigned k, const unsigned* targets, const Complex* mat) {
  constexpr unsigned kLaneBits = std::countr_zero(W);
  if constexpr (W > 1) {
    // A state smaller than a vector (or too small for the high targets'
    // groups) takes the one-amplitude path.
    unsigned lane_mask = 0, h = 0;
    for (unsigned j = 0; j < k; ++j) {
      if (targets[j] < kLaneBits) {
        lane_mask |= 1u << targets[j];
      } else {
        ++h;
      }
    }
    if (m < kLaneBits + h) {
      apply<T, 1>(a, m, k, targets, mat);
      return;
    }
    static constexpr auto table = make_table<T, W>(std::make_index_sequence<4 * W>{});
    table[4 * lane_mask + h](a, m, k, targets, mat);
  } else {
    static constexpr auto table = make_table<T, 1>(std::make_index_sequence<4>{});
    table[k](a, m, k, targets, mat);
  }
}

void dense64(double* a, unsigned m, unsigned k, const unsigned* targets, const Complex* mat) {
  apply<double, DENSE_F64_LANES>(a, m, k, targets, mat);
}
void dense32(float* a, unsigned m, unsigned k, const unsigned* targets, const Complex* mat) {
  apply<float, DENSE_F32_LANES>(a, m, k, targets, mat);
}

}  // namespace

extern const DenseKernels kDenseTable;
const DenseKernels kDenseTable = {DENSE_KERNELS_NAME, dense64, dense32};

}  // namespace jarvis::quantum::DENSE_KERNELS_NS
