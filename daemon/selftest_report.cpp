#include "daemon/selftest_report.h"

#include <iomanip>

#if defined(SYNTHMINER_HAVE_CUDA)
#include "hashcore/cuda/cuda_devices.h"
#endif

namespace synthminer::daemon {

bool print_selftest_report(std::ostream& out, const hashcore::Dispatch& dispatch) {
  out << "cpu: " << dispatch.cpu().brand << " [" << hashcore::describe(dispatch.cpu()) << "]\n";
  bool all_passed = true;
  for (const auto& s : dispatch.statuses()) {
    out << "  " << std::left << std::setw(8) << s.backend->name << ' ';
    if (!s.cpu_supported) {
      out << "skipped (not supported by this CPU)\n";
    } else if (s.failure.empty()) {
      out << "ok\n";
    } else {
      out << "FAILED: " << s.failure << " (disabled)\n";
      all_passed = false;
    }
  }
  out << "using sha256d backend '" << dispatch.chosen().name << "'\n";
  return all_passed;
}

void print_cuda_devices(std::ostream& out) {
#if defined(SYNTHMINER_HAVE_CUDA)
  const auto inventory = hashcore::cuda::list_cuda_devices();
  if (inventory.devices.empty()) {
    out << "cuda: none (" << inventory.none_reason << "); mining uses the CPU\n";
    return;
  }
  for (const auto& d : inventory.devices) {
    out << "cuda " << d.index << ": " << d.name << ", " << d.multiprocessors << " SMs, "
        << d.clock_khz / 1000 << " MHz, " << d.memory_bytes / (1024 * 1024) << " MiB, sm_"
        << d.compute_major << d.compute_minor << '\n';
  }
#else
  out << "cuda: not built (nvcc was not found at configure time)\n";
#endif
}

}  // namespace synthminer::daemon
