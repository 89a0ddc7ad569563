// What the CPU and the operating system support, read once by CPUID and XGETBV.
#pragma once

#include <string>

namespace synthminer::hashcore {

struct CpuFeatures {
  std::string brand;  ///< e.g. "Intel(R) Xeon(R) Processor"
  bool ssse3 = false;
  bool sse41 = false;
  bool sha_ni = false;
  bool avx2 = false;    ///< AVX2 and the OS saves YMM state
  bool avx512 = false;  ///< AVX-512 F+BW and the OS saves ZMM state
};

/// Reads CPUID and XGETBV. On a non-x86 build every flag is false.
CpuFeatures detect_cpu_features();

/// "sha_ni avx2 avx512" style list of the flags that are set.
std::string describe(const CpuFeatures& features);

}  // namespace synthminer::hashcore
