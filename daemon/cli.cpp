#include "daemon/cli.h"

#include <boost/program_options.hpp>
#include <sstream>

namespace synthminer::daemon {
namespace po = boost::program_options;

CliParse parse_cli(int argc, const char* const* argv) {
  po::options_description desc("Usage: synthminerd COMMAND [OPTIONS]\n\nCommands");
  desc.add_options()("help,h", "print this help and exit")(
      "version", "print the version and git commit and exit")(
      "selftest", "test every hash backend against the reference and exit (1 if any fails)")(
      "benchmark", "measure the sha256d rate of each usable hash backend and exit");
  po::options_description tuning("Benchmark options");
  tuning.add_options()("backend", po::value<std::string>(),
                       "only this backend: scalar, avx2, avx512, shani")(
      "threads", po::value<unsigned>(), "hashing threads (default: one per CPU core)")(
      "seconds", po::value<double>(), "seconds to measure each backend (default 5)");
  desc.add(tuning);

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
                               {"benchmark", Command::kBenchmark}}) {
    if (vm.count(name)) {
      opts.command = command;
      ++commands;
    }
  }
  if (commands == 0) {
    parse.error = "no command given (try --help)";
    return parse;
  }
  if (commands > 1) {
    parse.error = "give one command at a time";
    return parse;
  }
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
  parse.options = opts;
  return parse;
}

}  // namespace synthminer::daemon
