// Listeners: what the daemon serves. The Prometheus exposer and the JSON API
// (mining routes, vgpu routes), each bound through a ListenerBinder, so a
// port another process holds is retried and never stops mining.
//
// Design: built and used on the io thread. The exposer serves scrapes on its
// own threads from registry snapshots; the API server runs on the io loop.
// What may change while running is only the token (a reload): the rest of
// the listeners' settings need a restart.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/listener_binder.h"
#include "api/refusals.h"
#include "config/config.h"
#include "daemon/api_adapter.h"
#include "daemon/mining_session.h"
#include "devices/device_setup.h"
#include "http/server.h"
#include "solo/node_status.h"
#include "stratum/client.h"
#include "telemetry/exposer.h"
#include "telemetry/registry.h"
#include "vgpu_service/vgpu_service.h"

namespace synthminer::daemon {

/// What the listeners read and serve; all must outlive them.
struct ListenerParts {
  std::shared_ptr<telemetry::Registry> registry;  ///< the exposer's scrape threads share it
  MiningSession& session;
  stratum::Client& client;
  const devices::DeviceSetup& devices;
  std::shared_ptr<const solo::NodeStatusBoard> nodes = nullptr;  ///< solo mining's, for /1/pools
  /// The demo: while no api.token is set, the loopback API serves POST
  /// without one (http::ServerOptions::open_loopback).
  bool demo_open_loopback = false;
};

class Listeners {
 public:
  /// `on_change` runs after a listener binds or fails and after an API
  /// pause or resume (STATUS follows them).
  Listeners(boost::asio::io_context& io, const config::Config& config, ListenerParts parts,
            std::function<void()> on_change);
  Listeners(const Listeners&) = delete;
  Listeners& operator=(const Listeners&) = delete;

  /// The metrics exposer (when enabled) and the API: first tries now.
  void start();
  /// No new connection; requests being handled still get their answer
  /// (running vgpu tasks are told to stop, and answer 503 or end their job).
  void stop_accepting();
  /// The exposer last, once the final counts are in.
  void close_exposer();
  /// The device workers are about to restart: running vgpu tasks stop and
  /// are queued again (VgpuService::preempt_tasks).
  void preempt_vgpu_tasks();
  /// A reload's new token (empty: none) for POST and beyond-loopback scrapes.
  void set_token(const std::optional<std::string>& token);

  /// " | <error>" for each listener that cannot bind (while it cannot).
  std::string errors() const;
  uint16_t api_port() const { return api_port_; }
  uint16_t metrics_port() const { return exposer_ ? exposer_->port() : 0; }
  std::string metrics_address() const { return exposer_ ? exposer_->address() : ""; }
  std::string api_address() const { return api_address_; }
  /// Who may POST, for the start-up line: " (token required for POST)", ...
  std::string token_note() const;

 private:
  void build_api();
  /// Measures the mining GPUs and makes them vgpu devices.
  void add_vgpu_gpus(const jarvis::JarvisConfig& config);
  stratum::Result<bool> bind_api();
  stratum::Result<bool> bind_metrics();
  void on_binder_change();

  boost::asio::io_context& io_;
  config::Config config_;  ///< as started; only the token follows reloads
  ListenerParts parts_;
  std::function<void()> on_change_;
  std::unique_ptr<telemetry::MetricsExposer> exposer_;
  std::unique_ptr<SessionApi> api_context_;
  std::unique_ptr<vgpu_service::VgpuService> vgpu_;
  std::unique_ptr<api::ApiRefusals> api_refusals_;  ///< before api_: the server calls it
  std::unique_ptr<http::Server> api_;
  uint16_t api_port_ = 0;
  std::string api_address_;
  std::unique_ptr<api::ListenerBinder> metrics_binder_;
  std::unique_ptr<api::ListenerBinder> api_binder_;
};

}  // namespace synthminer::daemon
