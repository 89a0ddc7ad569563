// The portable gate kernels (baseline ISA; SSE2 on x86-64).
#define QUANTUM_KERNELS_NS generic
#define QUANTUM_KERNELS_NAME "generic"
#include "vgpu/quantum/kernels/quantum_kernels_impl.h"

namespace jarvis::quantum {

const KernelTable& generic_kernels() {
  return generic::kTable;
}

}  // namespace jarvis::quantum
