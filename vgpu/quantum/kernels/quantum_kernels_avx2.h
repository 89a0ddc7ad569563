// Private to the kernel dispatch (quantum_kernels.cpp): the AVX2 table as
// compiled, without the CPU check. Use avx2_kernels() instead.
#pragma once

#include "vgpu/quantum/kernels/quantum_kernels.h"

namespace jarvis::quantum {

/// The AVX2 table if this build compiled it, else nullptr. The CPU may still lack AVX2.
const KernelTable* compiled_avx2_kernels();

}  // namespace jarvis::quantum
