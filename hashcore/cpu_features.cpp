#include "hashcore/cpu_features.h"

#include <cstdint>
#include <cstring>

#if defined(SYNTHMINER_X86)
#include <cpuid.h>
#endif

namespace synthminer::hashcore {
namespace {

#if defined(SYNTHMINER_X86)
struct Regs {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

Regs cpuid(uint32_t leaf, uint32_t subleaf = 0) {
  Regs r;
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

uint64_t xgetbv0() {
  uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t{hi} << 32) | lo;
}

std::string brand_string() {
  if (cpuid(0x80000000).eax < 0x80000004) return "unknown x86 CPU";
  char text[49] = {};
  for (uint32_t i = 0; i < 3; ++i) {
    const Regs r = cpuid(0x80000002 + i);
    std::memcpy(text + 16 * i, &r, 16);
  }
  std::string brand(text);
  const auto first = brand.find_first_not_of(' ');
  return first == std::string::npos ? "unknown x86 CPU" : brand.substr(first);
}
#endif

}  // namespace

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
#if defined(SYNTHMINER_X86)
  f.brand = brand_string();
  const uint32_t max_leaf = cpuid(0).eax;
  const Regs l1 = cpuid(1);
  f.ssse3 = (l1.ecx >> 9) & 1;
  f.sse41 = (l1.ecx >> 19) & 1;
  const bool osxsave = (l1.ecx >> 27) & 1;
  const bool avx = (l1.ecx >> 28) & 1;
  // The OS must save the wide registers on a context switch (XCR0), or the
  // upper halves would be lost: XMM|YMM = bits 1-2, opmask|ZMM = bits 5-7.
  const uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  const bool os_ymm = (xcr0 & 0x6) == 0x6;
  const bool os_zmm = (xcr0 & 0xe6) == 0xe6;
  if (max_leaf >= 7) {
    const Regs l7 = cpuid(7);
    f.sha_ni = ((l7.ebx >> 29) & 1) && f.ssse3 && f.sse41;
    f.avx2 = avx && os_ymm && ((l7.ebx >> 5) & 1);
    f.avx512 = os_zmm && ((l7.ebx >> 16) & 1) && ((l7.ebx >> 30) & 1);  // F and BW
  }
#else
  f.brand = "non-x86 CPU";
#endif
  return f;
}

std::string describe(const CpuFeatures& features) {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (!on) return;
    if (!out.empty()) out += ' ';
    out += name;
  };
  add(features.sha_ni, "sha_ni");
  add(features.avx2, "avx2");
  add(features.avx512, "avx512");
  return out.empty() ? "none" : out;
}

}  // namespace synthminer::hashcore
