#include "daemon/runtime.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <csignal>

#include "common/printable.h"
#include "config/address.h"
#include "config/diff.h"
#include "config/load.h"
#include "daemon/build_info.h"
#include "daemon/config_mapping.h"
#include "hashcore/selftest.h"
#include "solo/node_session.h"
#include "telemetry/labels.h"
#include "telemetry/status_line.h"

namespace synthminer::daemon {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStatusInterval = std::chrono::seconds(10);

// What the set-up says about its devices, without the devices themselves
// (they go to the session).
devices::DeviceSetup describe(const devices::DeviceSetup& setup) {
  devices::DeviceSetup info;
  for (const auto& d : setup.devices) {
    info.devices.push_back(devices::MiningDevice{nullptr, d.options, d.description, d.measured_rate,
                                                 d.worker, d.cuda_index});
  }
  info.notes = setup.notes;
  return info;
}

}  // namespace

Runtime::Runtime(boost::asio::io_context& io, RuntimeOptions options, MiningObserver& observer)
    : io_(io),
      options_(std::move(options)),
      observer_(observer),
      registry_(std::make_shared<telemetry::Registry>()),
      reloader_(io),
      stop_signals_(io, SIGINT, SIGTERM),
      hup_(io, SIGHUP),
      status_timer_(io),
      watchdog_timer_(io),
      loop_(io, std::chrono::microseconds(options_.config.api.busy_poll_us)) {}

stratum::Result<std::unique_ptr<Runtime>> Runtime::create(boost::asio::io_context& io,
                                                          RuntimeOptions options,
                                                          MiningObserver& observer) {
  auto runtime = std::make_unique<Runtime>(io, std::move(options), observer);
  Runtime& r = *runtime;
  const config::Config& config = r.options_.config;
  std::string error;
  const auto dispatch = hashcore::Dispatch::create(cpu_backend(config, r.options_.backend), error);
  if (!dispatch) return stratum::Error{error};

  devices::DeviceSetup setup =
      devices::build_devices(config, dispatch->chosen(), r.options_.threads);
  r.device_info_ = describe(setup);
  if (setup.devices.empty()) {
    return stratum::Error{"no device to mine with: enable devices.cpu or a CUDA device"};
  }
  r.session_ = std::make_unique<MiningSession>(io, observer, std::move(setup.devices),
                                               devices::scheduler_options(config.scheduler));
  auto client =
      stratum::Client::create(io, r.options_.client ? *r.options_.client : client_options(config),
                              *r.session_, solo::node_upstream(r.nodes_));
  if (!client) return stratum::Error{client.error()};
  r.client_ = std::move(client).value();
  r.session_->attach_source(r.client_);
  r.registry_->set_build_info(kProjectVersion, kGitCommit);
  r.session_->attach_telemetry(*r.registry_);
  r.node_telemetry_ = std::make_unique<NodeTelemetry>(*r.registry_);
  if (r.options_.log_sink) r.options_.log_sink->set_secrets(r.secrets());
  return runtime;
}

Runtime::~Runtime() {
  stop(std::chrono::milliseconds(0));
}

stratum::Result<bool> Runtime::start() {
  if (options_.listeners) {
    listeners_ =
        std::make_unique<Listeners>(io_, options_.config,
                                    ListenerParts{registry_, *session_, *client_, device_info_,
                                                  nodes_, options_.demo_open_loopback},
                                    [this] {
                                      if (!stopped_) notifier_.status(status_line());
                                    });
    listeners_->start();
  }
  session_->start();
  do_signals();
  do_hup();
  do_status_timer();
  if (const auto interval = notifier_.watchdog_interval()) do_watchdog_timer(*interval);
  notifier_.ready();
  notifier_.status(status_line());
  return true;
}

void Runtime::run_until(const std::function<bool()>& done) {
  while (!interrupted_ && !(done && done())) loop_.run_one_for(std::chrono::milliseconds(50));
}

void Runtime::stop(std::chrono::milliseconds drain) {
  if (stopped_) return;
  stopped_ = true;
  notifier_.stopping();
  bool finished = false;
  begin_stop(drain, [&finished] { finished = true; });
  io_.restart();
  while (!finished && io_.run_one() > 0) {
  }
  // What the closes started (API answers being written, sockets shutting)
  // ends here; nothing is waiting any more.
  io_.restart();
  io_.run_for(std::chrono::milliseconds(200));
}

void Runtime::begin_stop(std::chrono::milliseconds drain, std::function<void()> done) {
  stop_signals_.cancel();
  hup_.cancel();
  status_timer_.cancel();
  watchdog_timer_.cancel();
  if (listeners_) listeners_->stop_accepting();  // requests being handled still get their answer
  auto close_rest = [this, done = std::move(done)] {
    if (listeners_) listeners_->close_exposer();  // the last scrape saw the final counts
    reloader_.join();
    done();
  };
  if (!session_) return boost::asio::post(io_, std::move(close_rest));
  session_->stop(drain, std::move(close_rest));
}

void Runtime::do_signals() {
  stop_signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("{}: stopping (finishing the shares in flight)",
                 signal == SIGINT ? "SIGINT" : "SIGTERM");
    interrupted_ = true;
    // What the stop path does not bound, this does: drain window + 1 s, less
    // a margin for the exit itself.
    stop_deadline_.arm(options_.drain + std::chrono::milliseconds(800));
  });
}

void Runtime::do_hup() {
  hup_.async_wait([this](const boost::system::error_code& ec, int) {
    if (ec) return;
    on_hup();
    do_hup();
  });
}

void Runtime::on_hup() {
  if (!options_.config_path) {
    spdlog::warn("SIGHUP: no config file to reload (started without --config)");
    return;
  }
  const bool started = reloader_.request(
      *options_.config_path, options_.config,
      ReloadOverrides{options_.backend, options_.threads, !options_.client.has_value()},
      [this](Reloaded reloaded) { apply_reload(std::move(reloaded)); });
  if (!started) {
    spdlog::info("SIGHUP: a reload is already running; this one is folded into it");
    return;
  }
  notifier_.reloading();
}

void Runtime::apply_reload(Reloaded reloaded) {
  if (stopped_) return;
  if (reloaded.config) {
    if (auto bad = check_payout_addresses(*reloaded.config)) {
      reloaded.error = *bad;
      reloaded.config.reset();
    }
  }
  if (!reloaded.config) {
    // The config module's errors name a JSON path, never a value (the new
    // file's secrets are unknown to the log's redaction); printable() keeps
    // the path to one line of the log and of the STATUS message.
    const std::string error = common::printable(reloaded.error, 512);
    spdlog::error("reload refused, the running config stays in force: {}", error);
    registry_->config_reload(telemetry::ReloadOutcome::kFailure);
    notifier_.ready();
    // Kept in STATUS until a reload succeeds: the file on disk is not in force.
    reload_refusal_ = error;
    notifier_.status(status_line());
    return;
  }
  config::Config& now = *reloaded.config;
  const config::ConfigDiff diff = config::diff(options_.config, now);
  if (diff.log_level_changed) {
    set_log_level(to_spdlog_level(now.logging.level));
    spdlog::info("reload: log level {}", config::to_string(now.logging.level));
  }
  if (diff.api_token_changed) {
    if (listeners_) listeners_->set_token(now.api.token);
    spdlog::info("reload: API token {}", now.api.token ? "replaced" : "removed");
  }
  if (reloaded.devices) {
    device_info_ = describe(*reloaded.devices);
    const size_t count = reloaded.devices->devices.size();
    // Restarting the workers waits for each one's current task: a long vgpu
    // task would hold this (io) thread; it is preempted and runs again.
    if (listeners_) listeners_->preempt_vgpu_tasks();
    session_->reconfigure_devices(std::move(reloaded.devices->devices),
                                  devices::scheduler_options(now.scheduler));
    spdlog::info("reload: {} device worker(s) restarted with the new settings", count);
  }
  if (diff.pools_changed || diff.stratum_changed) {
    if (options_.client) {
      spdlog::warn("reload: pools are the demo pool's; /pools changes are ignored");
    } else {
      client_->update_options(client_options(now));
    }
  }
  for (const auto& path : diff.needs_restart) {
    spdlog::warn("reload: {} changed: it takes effect after a restart", path);
  }
  // The parts that need a restart keep their running values.
  now.metrics = options_.config.metrics;
  now.api.listen = options_.config.api.listen;
  now.api.rate_limit_per_second = options_.config.api.rate_limit_per_second;
  now.api.rate_limit_burst = options_.config.api.rate_limit_burst;
  now.api.header_timeout_seconds = options_.config.api.header_timeout_seconds;
  now.api.keep_alive_seconds = options_.config.api.keep_alive_seconds;
  now.api.max_connections_per_address = options_.config.api.max_connections_per_address;
  now.vgpu = options_.config.vgpu;
  options_.config = std::move(now);
  if (options_.log_sink) options_.log_sink->set_secrets(secrets());
  registry_->config_reload(telemetry::ReloadOutcome::kSuccess);
  reload_refusal_.clear();
  spdlog::info("reload: applied ({} setting(s) changed)", diff.changed.size());
  notifier_.ready();
  notifier_.status(status_line());
}

void Runtime::do_status_timer() {
  status_timer_.expires_after(kStatusInterval);
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    node_telemetry_->publish(nodes_->snapshot());
    const std::string line = status_line();
    spdlog::info("{}", line);
    notifier_.status(line);
    do_status_timer();
  });
}

void Runtime::do_watchdog_timer(std::chrono::microseconds interval) {
  // Pinged from the io loop itself: a stalled loop misses it and systemd
  // restarts the daemon.
  notifier_.watchdog_ping();
  watchdog_timer_.expires_after(interval / 2);
  watchdog_timer_.async_wait([this, interval](const boost::system::error_code& ec) {
    if (!ec) do_watchdog_timer(interval);
  });
}

std::string Runtime::status_line() const {
  std::string line = mining_status();
  if (!client_->ready()) {
    line = "waiting for " + client_->pool_name(client_->current_pool()) +
           " (connecting; not mining yet) | " + line;
  }
  if (!reload_refusal_.empty())
    line = "reload refused, old config in force: " + reload_refusal_ + " | " + line;
  return line;
}

std::string Runtime::mining_status() const {
  const auto summary = registry_->summary();
  const auto pools = registry_->pools();
  double difficulty = 0;
  const std::string pool = client_->pool_name(client_->current_pool());
  for (const auto& p : pools)
    if (p.name == telemetry::sanitize_name(pool)) difficulty = p.difficulty;
  const std::string listeners = listeners_ ? listeners_->errors() : "";
  for (const auto& node : nodes_->snapshot()) {
    if (node.pool != client_->current_pool()) continue;
    return fmt::format(
        "{}speed 10s/60s/15m {} {} {} MH/s | {} | node {}{}", session_->paused() ? "PAUSED | " : "",
        telemetry::format_mhs(summary.hashrate.s10), telemetry::format_mhs(summary.hashrate.s60),
        telemetry::format_mhs(summary.hashrate.m15), describe_node(node), pool, listeners);
  }
  return fmt::format(
      "{}speed 10s/60s/15m {} {} {} MH/s | accepted {} rejected {} stale {} | pool {} diff "
      "{:.6g}{}",
      session_->paused() ? "PAUSED | " : "", telemetry::format_mhs(summary.hashrate.s10),
      telemetry::format_mhs(summary.hashrate.s60), telemetry::format_mhs(summary.hashrate.m15),
      summary.shares.accepted, summary.shares.rejected, summary.shares.stale, pool, difficulty,
      listeners);
}

std::vector<std::string> Runtime::secrets() const {
  std::vector<std::string> list;
  for (const auto& pool : options_.config.pools) list.push_back(pool.password);
  if (options_.config.api.token) list.push_back(*options_.config.api.token);
  return list;
}

}  // namespace synthminer::daemon
