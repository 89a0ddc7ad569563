// Runs `promtool check metrics` on a metrics text (the Debian `prometheus`
// package's /usr/bin/promtool).
#pragma once

#include <string>

namespace synthminer::telemetry::test {

inline constexpr const char* kPromtool = "/usr/bin/promtool";
inline constexpr const char* kPrometheus = "/usr/bin/prometheus";

struct CheckResult {
  int exit_code = -1;
  std::string output;  ///< promtool's stdout and stderr
};

/// Feeds `metrics` to `promtool check metrics` on stdin.
CheckResult promtool_check_metrics(const std::string& metrics);

/// Runs `command` in sh with its stdout and stderr captured together.
CheckResult run_captured(const std::string& command);

/// A fresh directory under the system temp dir; removed by the caller.
std::string make_temp_dir(const std::string& prefix);

}  // namespace synthminer::telemetry::test
