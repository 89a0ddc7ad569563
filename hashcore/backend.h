// The table of hash backends compiled into this build, and the scan driver
// that turns a backend's prefiltered hits into exact results.
#pragma once

#include <span>
#include <string_view>

#include "hashcore/cpu_features.h"
#include "hashcore/prefilter.h"
#include "hashcore/scan.h"

namespace synthminer::hashcore {

struct Backend {
  std::string_view name;                      ///< "scalar", "avx2", "avx512", "shani"
  uint32_t lanes;                             ///< message streams per compress_lanes call
  bool (*supported)(const CpuFeatures& cpu);  ///< may this CPU run it?
  ScanKernel scan_kernel;
  CompressLanes compress_lanes;
};

/// Every backend in this build, in order of preference (fastest first on
/// the CPUs we have measured; see docs/PERFORMANCE.md).
std::span<const Backend> compiled_backends();

/// The compiled backend called `name`, or nullptr.
const Backend* find_backend(std::string_view name);

/// "scalar, avx2, avx512, shani": the names a user may pick from.
std::string backend_names();

/// A job with its nonce-independent constants, ready for any backend.
/// Compute once per job (or midstate) and share it between threads.
struct PreparedScan {
  ScanJob job;
  ScanConstants constants;
};
PreparedScan prepare_scan(const ScanJob& job);

/// Scans `range` with `backend` and returns exactly the nonces whose sha256d
/// meets the target (each prefilter hit is re-checked with the reference).
/// A range that would pass 2^32 - 1 is cut there. The CPU must support the
/// backend (see Dispatch).
ScanResult scan(const Backend& backend, const PreparedScan& prepared, NonceRange range);

}  // namespace synthminer::hashcore
