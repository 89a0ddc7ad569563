// The gate kernels compiled for AVX2 (this file only gets -mavx2). Without
// AVX2 in the compiler flags it compiles to nothing and the table is absent.
#include "vgpu/quantum/kernels/quantum_kernels_avx2.h"

#if defined(__AVX2__)
#define QUANTUM_KERNELS_NS avx2
#define QUANTUM_KERNELS_NAME "avx2"
#include "vgpu/quantum/kernels/quantum_kernels_impl.h"

namespace jarvis::quantum {
const KernelTable* compiled_avx2_kernels() {
  return &avx2::kTable;
}
}  // namespace jarvis::quantum

#else

namespace jarvis::quantum {
const KernelTable* compiled_avx2_kernels() {
  return nullptr;
}
}  // namespace jarvis::quantum

#endif
