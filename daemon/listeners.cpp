#include "daemon/listeners.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "config/address.h"
#include "daemon/config_mapping.h"
#include "daemon/port_in_use.h"
#include "http/auth.h"
#include "vgpu_service/vgpu_devices.h"

namespace synthminer::daemon {
namespace {

// Seconds of real work per operation kind when a GPU is measured for vgpu.
constexpr double kVgpuCalibrationSeconds = 0.05;

http::ServerOptions api_options(const config::ApiConfig& api) {
  http::ServerOptions o;
  const auto address = config::parse_host_port(api.listen, /*allow_port_zero=*/true);
  if (address) {
    o.host = address->host;
    o.port = address->port;
  }
  o.token = api.token;
  o.rate_limit.requests_per_second = api.rate_limit_per_second;
  o.rate_limit.burst = api.rate_limit_burst;
  o.header_timeout = std::chrono::milliseconds(std::llround(api.header_timeout_seconds * 1000));
  o.keep_alive_timeout = std::chrono::milliseconds(std::llround(api.keep_alive_seconds * 1000));
  o.max_connections_per_address = api.max_connections_per_address;
  return o;
}

std::chrono::milliseconds seconds_to_millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

}  // namespace

Listeners::Listeners(boost::asio::io_context& io, const config::Config& config, ListenerParts parts,
                     std::function<void()> on_change)
    : io_(io), config_(config), parts_(parts), on_change_(std::move(on_change)) {}

void Listeners::start() {
  const auto changed = [this] { on_binder_change(); };
  if (config_.metrics.enabled) {
    metrics_binder_ = std::make_unique<api::ListenerBinder>(
        io_, "metrics", seconds_to_millis(config_.metrics.bind_retry_seconds),
        [this] { return bind_metrics(); }, changed);
    metrics_binder_->start();
  }
  build_api();
  api_binder_ = std::make_unique<api::ListenerBinder>(
      io_, "api", seconds_to_millis(config_.api.bind_retry_seconds), [this] { return bind_api(); },
      changed);
  api_binder_->start();
}

void Listeners::stop_accepting() {
  if (metrics_binder_) metrics_binder_->stop();
  if (api_binder_) api_binder_->stop();
  if (api_) api_->stop();
  // A long vgpu task would hold its worker, and so the stop, past the drain.
  if (vgpu_) vgpu_->stop_tasks();
}

void Listeners::preempt_vgpu_tasks() {
  if (vgpu_) vgpu_->preempt_tasks();
}

void Listeners::close_exposer() {
  if (exposer_) exposer_->stop();
}

void Listeners::set_token(const std::optional<std::string>& token) {
  config_.api.token = token;
  if (api_) api_->set_token(token);
  // A metrics listener beyond loopback takes the token as its password
  // (ignored on loopback, which has none).
  if (exposer_) exposer_->set_password(token.value_or(""));
}

std::string Listeners::errors() const {
  std::string out;  // a listener that cannot bind stays in view until it can
  for (const api::ListenerBinder* binder : {metrics_binder_.get(), api_binder_.get()}) {
    if (binder != nullptr && !binder->error().empty()) out += " | " + binder->error();
  }
  return out;
}

void Listeners::on_binder_change() {
  for (const api::ListenerBinder* binder : {metrics_binder_.get(), api_binder_.get()}) {
    if (binder != nullptr) parts_.registry->listener_status(binder->name(), binder->error());
  }
  on_change_();
}

stratum::Result<bool> Listeners::bind_metrics() {
  telemetry::ExposerOptions metrics;
  metrics.listen = config_.metrics.listen;
  // Beyond loopback the config insists on a token; Prometheus sends it as
  // the basic-auth password (the current one: a reload may have rotated it).
  const auto host = config::parse_host_port(config_.metrics.listen, true);
  if (host && !config::is_loopback(host->host)) metrics.password = config_.api.token;
  auto exposer = telemetry::MetricsExposer::start(metrics, parts_.registry);
  if (!exposer) {
    return stratum::Error{
        explain_bind_error(exposer.error(), config_.metrics.listen, "metrics.listen")};
  }
  exposer_ = std::move(exposer).value();
  spdlog::info("metrics: serving http://{}/metrics", exposer_->address());
  return true;
}

void Listeners::build_api() {
  http::Router router;
  api_context_ = std::make_unique<SessionApi>(*parts_.registry, parts_.session, parts_.client,
                                              parts_.nodes, on_change_);
  api::add_mining_routes(router, api_context_->context());
  bool task_workers = false;
  for (const auto& d : parts_.devices.devices) task_workers = task_workers || d.options.runs_tasks;
  vgpu_service::VgpuServiceOptions vgpu;
  vgpu.enabled = config_.vgpu.enabled;
  vgpu.max_queued = config_.vgpu.max_queued;
  vgpu.max_share = config_.vgpu.max_share;
  vgpu.jarvis = jarvis_config(config_.vgpu);
  vgpu.tensor_store_max_bytes = config_.vgpu.tensor_store_max_bytes;
  vgpu.tensor_store_max_tensors = config_.vgpu.tensor_store_max_tensors;
  vgpu.tensors.max_upload_bytes = config_.vgpu.tensor_upload_max_bytes;
  vgpu_ = std::make_unique<vgpu_service::VgpuService>(parts_.session.scheduler(), *parts_.registry,
                                                      task_workers, vgpu);
  vgpu_->add_routes(router);
  if (vgpu_->enabled() && config_.vgpu.gpus) add_vgpu_gpus(vgpu.jarvis);
  api_refusals_ = std::make_unique<api::ApiRefusals>(*parts_.registry);
  http::ServerOptions server = api_options(config_.api);
  server.open_loopback = parts_.demo_open_loopback;
  server.on_refusal = [refusals = api_refusals_.get()](const http::RefusalRecord& r) {
    refusals->record(r);
  };
  api_ = std::make_unique<http::Server>(io_, std::move(server), std::move(router));
}

// Before mining starts, so the calibration has each GPU to itself.
void Listeners::add_vgpu_gpus(const jarvis::JarvisConfig& config) {
  std::vector<std::string> notes;
  auto gpus =
      vgpu_service::cuda_vgpu_devices(parts_.devices, config, kVgpuCalibrationSeconds, notes);
  for (const std::string& note : notes) spdlog::warn("{}", note);
  for (const vgpu_service::VgpuDevice& gpu : gpus) {
    std::string kinds;
    for (const jarvis::OperationKind kind : gpu.device.capabilities) {
      kinds +=
          fmt::format("{}{} {:.1f} GFLOP/s", kinds.empty() ? "" : ", ", jarvis::to_string(kind),
                      gpu.device.throughput[jarvis::kind_index(kind)] / 1e9);
    }
    spdlog::info("vgpu: {} ({}) routes {} (measured), runs on worker {}", gpu.device.id,
                 gpu.device.label, kinds, gpu.worker);
  }
  vgpu_->add_devices(std::move(gpus));
}

std::string Listeners::token_note() const {
  if (config_.api.token && !config_.api.token->empty()) return " (token required for POST)";
  const auto address = config::parse_host_port(config_.api.listen, /*allow_port_zero=*/true);
  if (parts_.demo_open_loopback && address && http::is_loopback_host(address->host))
    return " (demo: POST from this machine needs no token while api.token is unset)";
  return " (read-only: no api.token)";
}

stratum::Result<bool> Listeners::bind_api() {
  auto bound = api_->start();
  if (!bound) {
    return stratum::Error{
        explain_bind_error("api: " + bound.error().message, config_.api.listen, "api.listen")};
  }
  api_port_ = bound->port();
  api_address_ = bound->address().to_string() + ":" + std::to_string(api_port_);
  spdlog::info("api: listening on {}{}", api_address_, token_note());
  if (config_.api.busy_poll_us > 0) {
    spdlog::info(
        "api: the io thread polls {} us after each event before it sleeps (api.busy_poll_us): "
        "lower latency for back-to-back requests, CPU time taken from mining",
        config_.api.busy_poll_us);
  }
  return true;
}

}  // namespace synthminer::daemon
