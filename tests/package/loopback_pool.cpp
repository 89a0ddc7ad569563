// loopback_pool: DemoPool on 127.0.0.1 with no faults, for scripts/package-test
// (the installed daemon, under systemd in a container, mines against it).
//
//   loopback_pool [--port N] [--difficulty D] [--job-interval-ms MS]
//
// Accepts any user and password. Prints {"port": N} once listening, then at
// SIGTERM or SIGINT one JSON line with the shares it saw, and exits 0.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "demo_pool/demo_pool.h"

namespace {

using namespace synthminer;

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "loopback_pool: %s\nusage: loopback_pool [--port N] [--difficulty D] "
               "[--job-interval-ms MS]\n",
               why);
  std::exit(2);
}

demo_pool::DemoPoolOptions parse(int argc, char** argv) {
  demo_pool::DemoPoolOptions o;
  o.difficulty = 0.01;  // about a share a second from one SHA-NI thread (~25 MH/s)
  o.job_interval = std::chrono::milliseconds(10000);
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) usage(("missing value after " + flag).c_str());
    const char* value = argv[++i];
    try {
      if (flag == "--port") {
        o.port = static_cast<uint16_t>(std::stoul(value));
      } else if (flag == "--difficulty") {
        o.difficulty = std::stod(value);
      } else if (flag == "--job-interval-ms") {
        o.job_interval = std::chrono::milliseconds(std::stoll(value));
      } else {
        usage(("unknown option " + flag).c_str());
      }
    } catch (const std::exception&) {
      usage(("bad value for " + flag).c_str());
    }
  }
  return o;
}

void print_line(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const demo_pool::DemoPoolOptions options = parse(argc, argv);
  // Blocked before the pool's thread starts, so only sigwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  demo_pool::DemoPool pool(options);
  auto port = pool.start();
  if (!port) {
    std::fprintf(stderr, "loopback_pool: %s\n", port.error().c_str());
    return 1;
  }
  print_line({{"port", *port}});

  int signal = 0;
  sigwait(&stop_signals, &signal);
  const auto counts = pool.counts();
  const auto connections = pool.connections_total();
  pool.stop();
  print_line({{"accepted", counts.accepted},
              {"rejected", counts.rejected},
              {"blocks", counts.blocks},
              {"connections", connections}});
  return 0;
}
