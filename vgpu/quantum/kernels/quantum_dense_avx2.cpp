// The dense kernels for AVX2 with FMA (this file only gets -mavx2 -mfma):
// four float or two double amplitudes per vector. Without AVX2 in the
// compiler flags it compiles to an absent table.
#include "vgpu/quantum/kernels/quantum_dense.h"

#if defined(__AVX2__) && defined(__FMA__)
#define DENSE_KERNELS_NS dense_avx2
#define DENSE_KERNELS_NAME "avx2+fma"
#define DENSE_F64_LANES 2
#define DENSE_F32_LANES 4
#include "vgpu/quantum/kernels/quantum_dense_impl.h"

namespace jarvis::quantum {
const DenseKernels* compiled_avx2_dense_kernels() {
  return &dense_avx2::kDenseTable;
}
}  // namespace jarvis::quantum
#else
namespace jarvis::quantum {
const DenseKernels* compiled_avx2_dense_kernels() {
  return nullptr;
}
}  // namespace jarvis::quantum
#endif
