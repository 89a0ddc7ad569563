#include "daemon/mine_mode.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <thread>

#include "config/load.h"
#include "daemon/config_mapping.h"
#include "daemon/hash_benchmark.h"
#include "daemon/hashrate_windows.h"
#include "daemon/mining_session.h"
#include "hashcore/selftest.h"
#include "scheduler/scan_device.h"

namespace synthminer::daemon {
namespace {

using Clock = std::chrono::steady_clock;

spdlog::level::level_enum log_level(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kTrace:
      return spdlog::level::trace;
    case config::LogLevel::kDebug:
      return spdlog::level::debug;
    case config::LogLevel::kInfo:
      return spdlog::level::info;
    case config::LogLevel::kWarn:
      return spdlog::level::warn;
    case config::LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

// What the log says while mining; also remembers the pool and difficulty
// for the status line.
class LogObserver : public MiningObserver {
 public:
  void on_job(const stratum::JobEvent& e) override {
    pool_ = e.pool_name;
    difficulty_ = e.difficulty;
    if (e.job.clean_jobs)
      spdlog::info("new job {} from {} (difficulty {})", e.job.job_id, pool_, difficulty_);
  }
  void on_share_found(const std::string& device, const stratum::Share& share,
                      double hash_difficulty, bool block) override {
    if (block) {
      spdlog::warn("BLOCK FOUND by {}: nonce {:08x}, difficulty {:.6g}", device, share.nonce,
                   hash_difficulty);
    }
  }
  void on_share_result(const stratum::ShareResult& r) override {
    if (r.fate == stratum::ShareFate::kAccepted) {
      spdlog::info("share accepted (nonce {:08x}, difficulty {:.6g})", r.share.nonce, r.difficulty);
    }
  }
  void on_hardware_error(const std::string& device, const std::string& reason) override {
    spdlog::warn("hardware error on {}: {}", device, reason);
  }
  void on_stall(const scheduler::StallEvent& e) override {
    spdlog::warn("{} stalled: {} nonces handed to the other devices; it is retried", e.device,
                 e.nonces);
  }
  const std::string& pool() const { return pool_; }
  double difficulty() const { return difficulty_; }

 private:
  std::string pool_ = "-";
  double difficulty_ = 0;
};

std::string mhs(std::optional<double> rate) {
  return rate ? fmt::format("{:.2f}", *rate / 1e6) : "n/a";
}

}  // namespace

int check_config(const std::string& path) {
  const auto config = config::load_config_file(path);
  if (!config) {
    spdlog::error("{}", config.error().message());
    return kExitBadConfig;
  }
  std::printf("%s: valid (%zu pool%s)\n", path.c_str(), config->pools.size(),
              config->pools.size() == 1 ? "" : "s");
  return 0;
}

int run_mining(const std::string& config_path, const std::optional<std::string>& backend,
               unsigned threads) {
  const auto config = config::load_config_file(config_path);
  if (!config) {
    spdlog::error("{}", config.error().message());
    return kExitBadConfig;
  }
  spdlog::set_level(log_level(config->logging.level));
  std::string error;
  const auto dispatch =
      hashcore::Dispatch::create(backend ? backend : cpu_backend_override(*config), error);
  if (!dispatch) {
    spdlog::error("{}", error);
    return 1;
  }
  DeviceSetup setup = build_devices(*config, dispatch->chosen(), threads);
  for (const auto& note : setup.notes) spdlog::info("{}", note);
  for (const auto& d : setup.devices) {
    spdlog::info("device {}: {}, measured {:.2f} MH/s", d.device->name(), d.description,
                 d.measured_rate / 1e6);
  }
  if (setup.devices.empty()) {
    spdlog::error("no device to mine with: enable devices.cpu or a CUDA device");
    return kExitBadConfig;
  }

  boost::asio::io_context io;
  LogObserver observer;
  auto session = MiningSession::create(io, client_options(*config), std::move(setup.devices),
                                       scheduler_options(config->scheduler), observer);
  if (!session) {
    spdlog::error("{}", session.error());
    return kExitBadConfig;
  }

  bool stop = false;
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("{}: stopping (finishing the shares in flight)",
                 signal == SIGINT ? "SIGINT" : "SIGTERM");
    stop = true;
  });
  // Until live reload lands, SIGHUP must not kill the miner (its default).
  boost::asio::signal_set hup(io, SIGHUP);
  std::function<void(const boost::system::error_code&, int)> on_hup =
      [&](const boost::system::error_code& ec, int) {
        if (ec) return;
        spdlog::warn("SIGHUP: config reload is not implemented yet; keeping the running config");
        hup.async_wait(on_hup);
      };
  hup.async_wait(on_hup);

  HashrateWindows windows;
  auto next_sample = Clock::now();
  auto next_status = Clock::now() + std::chrono::seconds(10);
  session.value()->start();
  while (!stop) {
    io.run_one_for(std::chrono::milliseconds(100));
    const auto now = Clock::now();
    if (now >= next_sample) {
      windows.sample(session.value()->total_hashes(), now);
      next_sample += std::chrono::seconds(1);
    }
    if (now >= next_status) {
      const auto s = session.value()->share_stats();
      spdlog::info(
          "speed 10s/60s/15m {} {} {} MH/s | accepted {} rejected {} stale {} | pool {} "
          "diff {:.6g}",
          mhs(windows.rate(std::chrono::seconds(10))), mhs(windows.rate(std::chrono::seconds(60))),
          mhs(windows.rate(std::chrono::minutes(15))), s.accepted, s.rejected, s.stale,
          observer.pool(), observer.difficulty());
      next_status += std::chrono::seconds(10);
    }
  }
  session.value()->stop(std::chrono::seconds(5));
  stop_signals.cancel();
  hup.cancel();
  const auto s = session.value()->share_stats();
  spdlog::info(
      "stopped: {} hashes, shares found {} = accepted {} + rejected {} + stale {} + "
      "pending {}",
      session.value()->total_hashes(), s.found, s.accepted, s.rejected, s.stale, s.pending);
  return 0;
}

}  // namespace synthminer::daemon
