// soak_pool: DemoPool on loopback with FaultSchedule running, for scripts/soak;
// with --no-faults a plain pool, for scripts/package-test (the packaged
// daemon, under systemd in a container, mines against it).
//
//   soak_pool [--port N] [--difficulty D] [--seed S] [--job-interval-ms MS] [--user U]
//             [--no-faults]
//
// The password the pool accepts for U is read from SOAK_POOL_PASSWORD (so it
// is not on the command line). Prints {"port": N} once listening, then at
// SIGTERM or SIGINT one JSON line with what the pool saw and injected, and
// exits 0.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "demo_pool/demo_pool.h"
#include "tests/soak/fault_schedule.h"

namespace {

using namespace synthminer;

struct Args {
  demo_pool::DemoPoolOptions pool;
  soak::ScheduleOptions schedule;
  bool faults = true;  ///< false: no FaultSchedule at all (it sets a reject ratio when made)
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "soak_pool: %s\nusage: soak_pool [--port N] [--difficulty D] [--seed S] "
               "[--job-interval-ms MS] [--user U] [--no-faults]\n",
               why);
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  a.pool.job_interval = std::chrono::milliseconds(2000);  // a clean job every 2 s
  a.pool.difficulty = 0.002;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-faults") {
      a.faults = false;
      continue;
    }
    if (i + 1 >= argc) usage(("missing value after " + flag).c_str());
    const char* value = argv[++i];
    try {
      if (flag == "--port") {
        a.pool.port = static_cast<uint16_t>(std::stoul(value));
      } else if (flag == "--difficulty") {
        a.pool.difficulty = std::stod(value);
      } else if (flag == "--seed") {
        a.schedule.seed = std::stoull(value);
      } else if (flag == "--job-interval-ms") {
        a.pool.job_interval = std::chrono::milliseconds(std::stoll(value));
      } else if (flag == "--user") {
        const char* password = std::getenv("SOAK_POOL_PASSWORD");
        a.pool.users = {{value, password ? password : "x"}};
      } else {
        usage(("unknown option " + flag).c_str());
      }
    } catch (const std::exception&) {
      usage(("bad value for " + flag).c_str());
    }
  }
  a.pool.seed = a.schedule.seed;
  a.schedule.difficulty = a.pool.difficulty;
  a.pool.max_records = 1000000;  // every share, for the reasons at exit (~100 bytes each)
  return a;
}

void print_line(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  // Blocked before the pool's thread starts, so only sigtimedwait below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  demo_pool::DemoPool pool(args.pool);
  auto port = pool.start();
  if (!port) {
    std::fprintf(stderr, "soak_pool: %s\n", port.error().c_str());
    return 1;
  }
  args.schedule.port = *port;
  print_line({{"port", *port}});

  std::optional<soak::FaultSchedule> schedule;
  if (args.faults) schedule.emplace(pool, args.schedule);
  const auto start = std::chrono::steady_clock::now();
  uint64_t second = 0;
  for (;;) {
    const auto due = start + std::chrono::seconds(second + 1);
    const auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(
        due - std::chrono::steady_clock::now());
    if (wait.count() > 0) {
      timespec ts{static_cast<time_t>(wait.count() / 1000000000),
                  static_cast<long>(wait.count() % 1000000000)};
      if (sigtimedwait(&stop_signals, nullptr, &ts) > 0) break;
    }
    ++second;
    if (schedule) schedule->tick(second);
  }

  // Rejects the schedule did not inject: the pool found something wrong.
  std::map<std::string, uint64_t> real_rejects;
  for (const auto& r : pool.shares()) {
    if (!r.accepted && !r.injected)
      ++real_rejects[std::string(demo_pool::reject_message(r.reject))];
  }
  const auto counts = pool.counts();
  const auto connections = pool.connections_total();
  pool.stop();
  print_line({{"seconds", second},
              {"received", counts.accepted + counts.rejected},
              {"accepted", counts.accepted},
              {"rejected", counts.rejected},
              {"injected_rejects", counts.injected},
              {"real_rejects", real_rejects},
              {"blocks", counts.blocks},
              {"connections", connections},
              {"faults", schedule ? nlohmann::json(schedule->counts()) : nlohmann::json()}});
  return 0;
}
