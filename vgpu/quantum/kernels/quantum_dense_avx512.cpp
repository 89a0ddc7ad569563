// The dense kernels for AVX-512F (this file only gets -mavx512f -mfma):
// eight float or four double amplitudes per vector. Without AVX-512 in the
// compiler flags it compiles to an absent table.
#include "vgpu/quantum/kernels/quantum_dense.h"

#if defined(__AVX512F__) && defined(__FMA__)
#define DENSE_KERNELS_NS dense_avx512
#define DENSE_KERNELS_NAME "avx512"
#define DENSE_F64_LANES 4
#define DENSE_F32_LANES 8
#include "vgpu/quantum/kernels/quantum_dense_impl.h"

namespace jarvis::quantum {
const DenseKernels* compiled_avx512_dense_kernels() {
  return &dense_avx512::kDenseTable;
}
}  // namespace jarvis::quantum
#else
namespace jarvis::quantum {
const DenseKernels* compiled_avx512_dense_kernels() {
  return nullptr;
}
}  // namespace jarvis::quantum
#endif
