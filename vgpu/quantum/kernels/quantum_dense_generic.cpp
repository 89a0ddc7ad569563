// The portable dense kernels (baseline ISA; SSE2 on x86-64: two float
// amplitudes or one double amplitude per vector).
#define DENSE_KERNELS_NS dense_generic
#define DENSE_KERNELS_NAME "generic"
#define DENSE_F64_LANES 1
#define DENSE_F32_LANES 2
#include "vgpu/quantum/kernels/quantum_dense_impl.h"

namespace jarvis::quantum {
const DenseKernels* compiled_generic_dense_kernels() {
  return &dense_generic::kDenseTable;
}
}  // namespace jarvis::quantum
