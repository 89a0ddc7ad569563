// synthminerd: the SHA-256d mining daemon. This build offers the self-test,
// the hash benchmark, the demo (mining against a built-in pool) and the version.
#include <malloc.h>

#include <iomanip>
#include <iostream>
#include <thread>

#include "daemon/build_info.h"
#include "daemon/cli.h"
#include "daemon/demo_mode.h"
#include "daemon/logging.h"
#include "daemon/mine_mode.h"
#include "devices/gpu_devices.h"
#include "devices/hash_benchmark.h"
#include "devices/selftest_report.h"
#include "hashcore/selftest.h"

namespace sd = synthminer::daemon;
namespace dev = synthminer::devices;
namespace hc = synthminer::hashcore;

namespace {

// Exit codes, documented in README.md.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int run_benchmark(const sd::CliOptions& opts, const hc::Dispatch& dispatch) {
  const unsigned threads =
      opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  std::cout << "sha256d benchmark: " << threads << " thread(s), " << opts.seconds
            << " s per backend, difficulty-1 target\n";
  std::cout << "  backend  lanes  MH/s total  MH/s per thread\n";
  for (const auto& s : dispatch.statuses()) {
    if (!s.usable() || opts.backend == "cuda") continue;
    if (opts.backend && s.backend->name != *opts.backend) continue;
    const auto r = dev::run_hash_benchmark(*s.backend, threads, opts.seconds);
    const double mhs = r.hashes_per_second() / 1e6;
    std::cout << "  " << std::left << std::setw(8) << s.backend->name << std::right << std::setw(6)
              << s.backend->lanes << std::fixed << std::setprecision(2) << std::setw(12) << mhs
              << std::setw(17) << mhs / threads << '\n'
              << std::flush;
  }
  dev::run_cuda_benchmarks(std::cout, {opts.seconds, opts.cuda_kernel, opts.rolls});
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Large transient buffers (an 8 MiB API body, a vgpu matrix) go straight
  // to mmap and back to the system when freed. glibc would otherwise raise
  // its mmap threshold after the first such free and keep later ones in the
  // heap, so the daemon's RSS would step up under hostile input and stay up.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  const sd::CliParse parse = sd::parse_cli(argc, argv);
  if (!parse.options) {
    std::cerr << "synthminerd: " << parse.error << '\n';
    return kExitUsage;
  }
  const sd::CliOptions& opts = *parse.options;
  // Journald priorities under systemd, colours on a terminal; secrets blanked.
  const auto log_sink = sd::setup_logging(sd::detect_log_output(2), spdlog::level::info);
  switch (opts.command) {
    case sd::Command::kHelp:
      std::cout << parse.usage;
      return kExitOk;
    case sd::Command::kCheckConfig:
      return sd::check_config(opts.config_path);
    case sd::Command::kMine:
      return sd::run_mining(opts.config_path,
                            opts.backend ? opts.backend : hc::backend_override_from_env(),
                            opts.threads, log_sink);
    case sd::Command::kVersion:
      std::cout << "synthminerd " << sd::kProjectVersion << " (commit " << sd::kGitCommit << ")\n";
      return kExitOk;
    case sd::Command::kSelftest:
    case sd::Command::kBenchmark:
    case sd::Command::kDemo:
      break;
  }

  // --backend wins over SYNTHMINER_HASHCORE; both must name a usable backend
  // (the benchmark's --backend cuda names the GPUs and leaves the CPU alone).
  std::string error;
  const bool gpus_only = opts.command == sd::Command::kBenchmark && opts.backend == "cuda";
  const auto dispatch = hc::Dispatch::create(
      opts.backend && !gpus_only ? opts.backend : hc::backend_override_from_env(), error);
  if (!dispatch) {
    std::cerr << "synthminerd: " << error << '\n';
    return kExitFailure;
  }
  if (opts.command == sd::Command::kDemo) {
    sd::DemoOptions demo;
    demo.jobs = opts.jobs;
    demo.difficulty_bits = opts.difficulty_bits;
    demo.job_seconds = opts.duration;
    demo.threads = opts.threads;
    demo.verbose = opts.verbose;
    if (!opts.config_path.empty()) demo.config_path = opts.config_path;
    demo.log_sink = log_sink;
    return sd::run_demo(demo, *dispatch);
  }
  if (opts.command == sd::Command::kSelftest) {
    const bool passed = dev::print_selftest_report(std::cout, *dispatch);
    dev::print_cuda_devices(std::cout);
    return passed ? kExitOk : kExitFailure;
  }
  dev::print_selftest_report(std::cout, *dispatch);
  return run_benchmark(opts, *dispatch);
}
