#include "daemon/cli.h"

#include <boost/program_options.hpp>
#include <sstream>
#include <stdexcept>

namespace synthminer::daemon {
namespace po = boost::program_options;

CliParse parse_cli(int argc, const char* const* argv) {
  // clang-format off
  po::options_description desc("Usage: synthminerd COMMAND [OPTIONS]\n\nCommands");
  desc.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and git commit and exit")
      ("selftest", "test every hash backend against the reference and exit (1 if any fails)")
      ("benchmark", "measure the sha256d rate of each usable hash backend and exit")
      ("config", po::value<std::string>(), "mine with the pools and devices of this JSON file (with --demo: its metrics, API, devices and scheduler settings)")
      ("check-config", po::value<std::string>(), "validate a config file and exit (3 if invalid)")
      ("demo", "mine against a built-in demo pool on loopback, then print the statistics");
  po::options_description tuning("Benchmark and demo options");
  tuning.add_options()
      ("backend", po::value<std::string>(), "only this backend: scalar, avx2, avx512, shani (benchmark: also cuda, the GPUs alone)")
      ("threads", po::value<unsigned>(), "hashing threads (default: one per CPU core)")
      ("seconds", po::value<double>(), "benchmark: seconds to measure each backend (default 5)")
      ("cuda-kernel", po::value<std::string>(), "benchmark: CUDA kernel shape to time, or all (default: the built-in default)")
      ("rolls", po::value<std::string>(), "benchmark: version-rolled headers per CUDA launch, 1-16, or all for 1, 2, 4 and 8 (default 1)");
  po::options_description demo("Demo options");
  demo.add_options()
      ("jobs", po::value<unsigned>(), "jobs the demo pool sends (default 3)")
      ("difficulty", po::value<int>(), "leading zero bits a share needs (default 20)")
      ("duration", po::value<double>(), "seconds per job (default 15)")
      ("verbose", "log protocol detail; the demo also lists every share");
  // clang-format on
  desc.add(tuning);
  desc.add(demo);

  CliParse parse;
  std::ostringstream usage;
  usage << desc;
  parse.usage = usage.str();

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    parse.error = e.what();
    return parse;
  }

  CliOptions opts;
  int commands = 0;
  for (auto [name, command] : {std::pair{"help", Command::kHelp},
                               {"version", Command::kVersion},
                               {"selftest", Command::kSelftest},
                               {"benchmark", Command::kBenchmark},
                               {"demo", Command::kDemo},
                               {"config", Command::kMine},
                               {"check-config", Command::kCheckConfig}}) {
    if (vm.count(name)) {
      opts.command = command;
      ++commands;
    }
  }
  if (commands == 0) {
    parse.error = "no command given (try --help)";
    return parse;
  }
  // --demo --config FILE: the demo with the file's metrics, API, devices
  // and scheduler settings (its pools are replaced by the demo pool).
  if (vm.count("demo") && vm.count("config")) {
    opts.command = Command::kDemo;
    --commands;
  }
  if (commands > 1) {
    parse.error = "give one command at a time";
    return parse;
  }
  if (vm.count("config")) opts.config_path = vm["config"].as<std::string>();
  if (vm.count("check-config")) opts.config_path = vm["check-config"].as<std::string>();
  if (vm.count("backend")) opts.backend = vm["backend"].as<std::string>();
  if (vm.count("threads")) {
    opts.threads = vm["threads"].as<unsigned>();
    if (opts.threads == 0 || opts.threads > 1024) {
      parse.error = "--threads must be between 1 and 1024";
      return parse;
    }
  }
  if (vm.count("seconds")) {
    opts.seconds = vm["seconds"].as<double>();
    if (!(opts.seconds > 0 && opts.seconds <= 3600)) {
      parse.error = "--seconds must be more than 0 and at most 3600";
      return parse;
    }
  }
  if (vm.count("cuda-kernel")) opts.cuda_kernel = vm["cuda-kernel"].as<std::string>();
  if (vm.count("rolls")) {
    const std::string rolls = vm["rolls"].as<std::string>();
    if (rolls == "all") {
      opts.rolls = 0;
    } else {
      try {
        size_t used = 0;
        const int n = std::stoi(rolls, &used);
        if (used != rolls.size() || n < 1 || n > 16) throw std::invalid_argument(rolls);
        opts.rolls = static_cast<unsigned>(n);
      } catch (const std::exception&) {
        parse.error = "--rolls must be between 1 and 16, or all";
        return parse;
      }
    }
  }
  if (vm.count("jobs")) {
    opts.jobs = vm["jobs"].as<unsigned>();
    if (opts.jobs == 0 || opts.jobs > 1000) {
      parse.error = "--jobs must be between 1 and 1000";
      return parse;
    }
  }
  if (vm.count("difficulty")) {
    opts.difficulty_bits = vm["difficulty"].as<int>();
    if (opts.difficulty_bits < 1 || opts.difficulty_bits > 64) {
      parse.error = "--difficulty must be between 1 and 64 leading zero bits";
      return parse;
    }
  }
  if (vm.count("duration")) {
    opts.duration = vm["duration"].as<double>();
    if (!(opts.duration >= 0.1 && opts.duration <= 86400)) {
      parse.error = "--duration must be between 0.1 and 86400 seconds";
      return parse;
    }
  }
  opts.verbose = vm.count("verbose") > 0;
  parse.options = opts;
  return parse;
}

}  // namespace synthminer::daemon
