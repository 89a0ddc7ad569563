#include "hashcore/backend.h"

#include <algorithm>

#include "hashcore/backend_kernels.h"

namespace synthminer::hashcore {
namespace {

bool always(const CpuFeatures&) {
  return true;
}

constexpr Backend kBackends[] = {
#if defined(SYNTHMINER_X86)
    {"avx512", 16, [](const CpuFeatures& c) { return c.avx512; }, kernels::scan_avx512,
     kernels::compress_avx512},
    {"shani", 1, [](const CpuFeatures& c) { return c.sha_ni; }, kernels::scan_shani,
     kernels::compress_shani},
    {"avx2", 8, [](const CpuFeatures& c) { return c.avx2; }, kernels::scan_avx2,
     kernels::compress_avx2},
#endif
    {"scalar", 1, always, kernels::scan_scalar, kernels::compress_scalar},
};

}  // namespace

std::span<const Backend> compiled_backends() {
  return kBackends;
}

const Backend* find_backend(std::string_view name) {
  for (const Backend& b : kBackends) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::string backend_names() {
  std::string out;
  for (const Backend& b : kBackends) {
    if (!out.empty()) out += ", ";
    out += b.name;
  }
  return out;
}

PreparedScan prepare_scan(const ScanJob& job) {
  return {job, make_scan_constants(job)};
}

ScanResult scan(const Backend& backend, const PreparedScan& prepared, NonceRange range) {
  ScanResult result;
  const uint64_t count = std::min<uint64_t>(range.count, (1ull << 32) - range.start);
  PrefilterHits hits;
  while (result.hashes < count) {
    hits.size = 0;
    result.hashes +=
        backend.scan_kernel(prepared.constants, range.start + static_cast<uint32_t>(result.hashes),
                            count - result.hashes, hits);
    for (uint32_t i = 0; i < hits.size; ++i) {
      // The prefilter compared the top 32 bits only; settle ties on the rest.
      if (meets_target(header_hash(prepared.job, hits.nonce[i]), prepared.job.target)) {
        result.nonces.push_back(hits.nonce[i]);
      }
    }
  }
  return result;
}

}  // namespace synthminer::hashcore
