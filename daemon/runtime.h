// Runtime: a running synthminerd. It wires the mining session (pool client
// and scheduler) to the telemetry registry, the Prometheus exposer, the
// JSON API, systemd (sd_notify, watchdog) and the signals: SIGINT/SIGTERM
// stop, SIGHUP reloads the config file.
//
// Design: everything here lives on the caller's one io thread, which runs
// the io_context (run_until). Nothing blocks it: a reload reads, validates
// and calibrates on a helper thread (ConfigReloader) and posts the result
// back; the listeners (Listeners: exposer and API) serve from registry
// snapshots.
// Reload applies only what changed (config::diff): log level, API token,
// scheduler targets, devices; settings that need a restart are logged as
// such and kept. An invalid file is refused as a whole: the old config
// stays in force, the failure is logged with its JSON path and reason,
// counted, and shown in the systemd status.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "daemon/config_reloader.h"
#include "daemon/listeners.h"
#include "daemon/logging.h"
#include "daemon/mining_session.h"
#include "daemon/node_telemetry.h"
#include "http/io_loop.h"
#include "lifecycle/shutdown_deadline.h"
#include "lifecycle/systemd_notify.h"
#include "solo/node_status.h"
#include "stratum/client.h"
#include "telemetry/registry.h"

namespace synthminer::daemon {

struct RuntimeOptions {
  config::Config config;
  std::optional<std::string> config_path;        ///< SIGHUP re-reads it; unset: SIGHUP is refused
  std::optional<std::string> backend;            ///< --backend: overrides devices.cpu.backend
  unsigned threads = 0;                          ///< --threads: overrides devices.cpu.threads
  std::optional<stratum::ClientOptions> client;  ///< the demo's pool instead of config.pools
  std::shared_ptr<RedactingSink> log_sink;       ///< to update the secrets on reload
  bool listeners = true;  ///< serve metrics and the API (the plain demo does not)
  /// The demo: the loopback API serves POST without a token while none is set.
  bool demo_open_loopback = false;
  /// How long a stop waits for the pool to answer shares in flight. After
  /// SIGINT/SIGTERM the process ends within this plus a second, whatever
  /// the load (a ShutdownDeadline backs the stop path up).
  std::chrono::milliseconds drain{5000};
};

class Runtime {
 public:
  /// Builds the devices and the session; nothing runs until start(). An
  /// error names what cannot be used (exit code 3 territory).
  static stratum::Result<std::unique_ptr<Runtime>> create(boost::asio::io_context& io,
                                                          RuntimeOptions options,
                                                          MiningObserver& observer);
  ~Runtime();

  /// Starts mining, the metrics exposer and the API; READY=1. A listener
  /// that cannot bind does not stop it: the error is logged, shown in
  /// STATUS and /1/summary, and the bind retried (ListenerBinder).
  stratum::Result<bool> start();
  /// Runs the io loop until SIGINT/SIGTERM or `done()` (checked every
  /// 50 ms; may be empty).
  void run_until(const std::function<bool()>& done = {});
  /// STOPPING=1, then one asynchronous sequence (begin_stop) on the io
  /// loop, which this runs until it ends: listeners closed, hashing
  /// stopped, up to `drain` for the pool to answer shares in flight, the
  /// pool connection and the exposer closed.
  void stop(std::chrono::milliseconds drain);

  bool interrupted() const { return interrupted_; }
  MiningSession& session() { return *session_; }
  telemetry::Registry& registry() { return *registry_; }
  const devices::DeviceSetup& devices() const { return device_info_; }
  /// The API's bound port (0 when it is off); for tests and the demo.
  uint16_t api_port() const { return listeners_ ? listeners_->api_port() : 0; }
  uint16_t metrics_port() const { return listeners_ ? listeners_->metrics_port() : 0; }
  /// "127.0.0.1:9464": where each listener is bound; "" when it is off.
  std::string metrics_address() const { return listeners_ ? listeners_->metrics_address() : ""; }
  std::string api_address() const { return listeners_ ? listeners_->api_address() : ""; }
  std::string api_token_note() const { return listeners_ ? listeners_->token_note() : ""; }

  Runtime(boost::asio::io_context& io, RuntimeOptions options,
          MiningObserver& observer);  // use create()

 private:
  /// The stop sequence; `done` runs on the io thread once all is closed.
  void begin_stop(std::chrono::milliseconds drain, std::function<void()> done);
  void do_signals();
  void do_hup();
  void on_hup();
  void apply_reload(Reloaded reloaded);
  void do_status_timer();
  void do_watchdog_timer(std::chrono::microseconds interval);
  /// STATUS and the console line: the mining figures, behind what the
  /// operator must know first (a refused reload, no pool yet).
  std::string status_line() const;
  std::string mining_status() const;
  std::vector<std::string> secrets() const;

  lifecycle::ShutdownDeadline stop_deadline_;  ///< first member: it outlives the teardown it bounds
  boost::asio::io_context& io_;
  RuntimeOptions options_;
  MiningObserver& observer_;
  devices::DeviceSetup device_info_;  ///< descriptions and rates; the devices went to the session
  std::shared_ptr<telemetry::Registry> registry_;
  std::unique_ptr<MiningSession> session_;
  std::shared_ptr<stratum::Client> client_;  ///< the session's work source
  /// What the node sessions (solo mining) learn; read for telemetry and STATUS.
  std::shared_ptr<solo::NodeStatusBoard> nodes_ = std::make_shared<solo::NodeStatusBoard>();
  std::unique_ptr<NodeTelemetry> node_telemetry_;
  std::unique_ptr<Listeners> listeners_;  ///< null in the plain demo
  ConfigReloader reloader_;
  lifecycle::SystemdNotifier notifier_;
  boost::asio::signal_set stop_signals_;
  boost::asio::signal_set hup_;
  boost::asio::steady_timer status_timer_;
  boost::asio::steady_timer watchdog_timer_;
  http::IoLoop loop_;           ///< run_until's loop (api.busy_poll_us)
  std::string reload_refusal_;  ///< the last reload's error, until one succeeds
  bool interrupted_ = false;
  bool stopped_ = false;
};

}  // namespace synthminer::daemon
