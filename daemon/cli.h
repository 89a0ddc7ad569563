// The synthminerd command line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace synthminer::daemon {

enum class Command { kHelp, kVersion, kSelftest, kBenchmark, kDemo, kMine, kCheckConfig };

struct CliOptions {
  Command command = Command::kHelp;
  std::optional<std::string> backend;  ///< --backend: one hash backend only
  unsigned threads = 0;                ///< --threads: 0 = one per CPU core
  double seconds = 5.0;                ///< --seconds: benchmark time per backend
  std::string cuda_kernel;             ///< --cuda-kernel: shape name, "all", empty: default
  unsigned rolls = 1;                  ///< --rolls: headers per CUDA launch; 0: 1, 2, 4, 8
  std::string config_path;             ///< --config / --check-config FILE
  // --demo
  unsigned jobs = 3;         ///< --jobs
  int difficulty_bits = 20;  ///< --difficulty: leading zero bits
  double duration = 15.0;    ///< --duration: seconds per job
  bool verbose = false;      ///< --verbose
};

struct CliParse {
  std::optional<CliOptions> options;  ///< set when the command line is valid
  std::string error;                  ///< why it is not
  std::string usage;                  ///< the --help text
};

CliParse parse_cli(int argc, const char* const* argv);

}  // namespace synthminer::daemon
