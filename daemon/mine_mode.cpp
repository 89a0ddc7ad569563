#include "daemon/mine_mode.h"

#include <spdlog/spdlog.h>

#include "config/load.h"
#include "daemon/logging.h"
#include "daemon/mining_session.h"
#include "daemon/runtime.h"

namespace synthminer::daemon {
namespace {

// What the log says while mining, beside the pool client's own lines
// (connections, each share's fate).
class LogObserver : public MiningObserver {
 public:
  void on_job(const stratum::JobEvent& e) override {
    if (e.job.clean_jobs)
      spdlog::info("new job {} from {} (difficulty {})", e.job.job_id, e.pool_name, e.difficulty);
  }
  void on_share_found(const std::string& device, const stratum::Share& share,
                      double hash_difficulty, bool block) override {
    if (block) {
      spdlog::critical("BLOCK FOUND by {}: nonce {:08x}, difficulty {:.6g}; submitted first",
                       device, share.nonce, hash_difficulty);
    }
  }
  void on_hardware_error(const std::string& device, const std::string& reason) override {
    spdlog::warn("hardware error on {}: {}", device, reason);
  }
  void on_stall(const scheduler::StallEvent& e) override {
    spdlog::warn("{} stalled: {} nonces handed to the other devices; it is retried", e.device,
                 e.nonces);
  }
};

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
               unsigned threads, const std::shared_ptr<RedactingSink>& log_sink) {
  auto config = config::load_config_file(config_path);
  if (!config) {
    spdlog::error("{}", config.error().message());
    return kExitBadConfig;
  }
  set_log_level(to_spdlog_level(config->logging.level));

  boost::asio::io_context io;
  LogObserver observer;
  RuntimeOptions options;
  options.config = std::move(config).value();
  options.config_path = config_path;
  options.backend = backend;
  options.threads = threads;
  options.log_sink = log_sink;
  auto runtime = Runtime::create(io, std::move(options), observer);
  if (!runtime) {
    spdlog::error("{}", runtime.error());
    return kExitBadConfig;
  }
  Runtime& r = *runtime.value();
  for (const auto& note : r.devices().notes) spdlog::info("{}", note);
  for (const auto& d : r.devices().devices) {
    spdlog::info("device: {}, measured {:.2f} MH/s", d.description, d.measured_rate / 1e6);
  }
  if (auto started = r.start(); !started) {
    spdlog::error("{}", started.error());
    return kExitBadConfig;
  }
  r.run_until();
  r.stop(std::chrono::seconds(5));
  const auto s = r.session().share_stats();
  spdlog::info(
      "stopped: {} hashes, shares found {} = accepted {} + rejected {} + stale {} + "
      "pending {}",
      r.session().total_hashes(), s.found, s.accepted, s.rejected, s.stale, s.pending);
  return 0;
}

}  // namespace synthminer::daemon
