#include "devices/selftest_report.h"

#include <iomanip>

namespace synthminer::devices {

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

}  // namespace synthminer::devices
