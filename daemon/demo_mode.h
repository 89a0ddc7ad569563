// `synthminerd --demo`: the seed's demo, for real. It starts DemoPool on a
// loopback port and mines against it over TCP through the same pool client
// and scheduler as real mining, printing what happens as it happens.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hashcore/selftest.h"

namespace synthminer::daemon {

class RedactingSink;

struct DemoOptions {
  unsigned jobs = 3;         ///< jobs the demo pool sends, one after the other
  int difficulty_bits = 20;  ///< leading zero bits a share needs (difficulty 2^(bits-32))
  double job_seconds = 15;   ///< how long each job lasts
  unsigned threads = 0;      ///< CPU workers; 0 = one per core
  bool verbose = false;      ///< protocol detail in the log
  /// --config: serve metrics and the API, and take devices and scheduler
  /// settings, from this file (its pools are replaced by the demo pool).
  std::optional<std::string> config_path;
  std::shared_ptr<RedactingSink> log_sink;
};

/// Runs the demo; returns the process exit code.
int run_demo(const DemoOptions& options, const hashcore::Dispatch& dispatch);

}  // namespace synthminer::daemon
