#include "daemon/mine_mode.h"

#include <spdlog/spdlog.h>

#include "config/load.h"
#include "daemon/config_mapping.h"
#include "daemon/log_observer.h"
#include "daemon/logging.h"
#include "daemon/mining_session.h"
#include "daemon/runtime.h"

namespace synthminer::daemon {

int check_config(const std::string& path) {
  const auto config = config::load_config_file(path);
  if (!config) {
    spdlog::error("{}", config.error().message());
    return kExitBadConfig;
  }
  if (auto bad = check_payout_addresses(*config)) {
    spdlog::error("{}: {}", path, *bad);
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
  if (auto bad = check_payout_addresses(*config)) {
    spdlog::error("{}: {}", config_path, *bad);
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
  const auto drain = options.drain;
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
  r.stop(drain);
  const auto s = r.session().share_stats();
  spdlog::info(
      "stopped: {} hashes, shares found {} = accepted {} + rejected {} + stale {} + "
      "pending {}",
      r.session().total_hashes(), s.found, s.accepted, s.rejected, s.stale, s.pending);
  return 0;
}

}  // namespace synthminer::daemon
