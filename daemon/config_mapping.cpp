#include "daemon/config_mapping.h"

#include <cctype>
#include <cmath>

#include "node/address.h"

namespace synthminer::daemon {
namespace {

stratum::Millis millis(double seconds) {
  return stratum::Millis(static_cast<int64_t>(std::llround(seconds * 1000)));
}

}  // namespace

stratum::ClientOptions client_options(const config::Config& config) {
  stratum::ClientOptions o;
  for (const config::PoolConfig& p : config.pools) {
    stratum::PoolOptions pool;
    pool.url = p.url;
    pool.name = p.name.value_or("");
    pool.user = p.user;
    pool.password = p.password;
    pool.version_rolling = p.version_rolling;
    pool.version_mask = p.version_mask;
    pool.extranonce_subscribe = p.extranonce_subscribe;
    pool.suggest_difficulty = p.suggest_difficulty;
    pool.allow_reconnect_other_host = p.allow_reconnect_other_host;
    pool.tls_insecure = p.tls.insecure;
    pool.tls_fingerprint_sha256 = p.tls.fingerprint_sha256.value_or("");
    pool.tls_ca_file = p.tls.ca_file.value_or("");
    pool.coinbase_address = p.coinbase_address.value_or("");
    pool.cookie_file = p.cookie_file.value_or("");
    pool.template_refresh = millis(p.template_refresh_seconds);
    o.pools.push_back(std::move(pool));
  }
  const config::StratumConfig& s = config.stratum;
  o.user_agent = s.user_agent;
  o.connect_timeout = millis(s.connect_timeout_seconds);
  o.request_timeout = millis(s.request_timeout_seconds);
  o.job_timeout = millis(s.job_watchdog_seconds);
  o.max_reconnect_wait = millis(s.max_reconnect_wait_seconds);
  o.max_line_bytes = static_cast<size_t>(s.max_line_bytes);
  o.max_write_queue_bytes = static_cast<size_t>(s.max_write_queue_bytes);
  o.offline_queue_limit = static_cast<size_t>(s.offline_queue_limit);
  o.max_submit_timeouts = s.max_submit_timeouts;
  o.max_submits_per_second = s.max_submits_per_second;
  o.backoff.initial = millis(s.backoff_initial_seconds);
  o.backoff.max = millis(s.backoff_max_seconds);
  o.backoff.multiplier = s.backoff_multiplier;
  o.backoff.jitter = s.backoff_jitter;
  o.failover.failures_before_failover = s.failover_after_failures;
  o.failover.failback_after = millis(s.failback_healthy_seconds);
  o.failover.probe_interval = millis(s.failback_probe_interval_seconds);
  o.failover.min_dwell = millis(s.failback_min_dwell_seconds);
  return o;
}

namespace {

// The chain whose error explains a bad address best: the one its bech32
// prefix names (bcrt1, tb1, bc1); a Base58 address is judged as mainnet's.
node::Chain likely_chain(std::string address) {
  for (char& c : address) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (address.starts_with("bcrt1")) return node::Chain::kRegtest;
  if (address.starts_with("tb1")) return node::Chain::kTest;
  return node::Chain::kMain;
}

}  // namespace

std::optional<std::string> check_payout_addresses(const config::Config& config) {
  for (size_t i = 0; i < config.pools.size(); ++i) {
    const auto& address = config.pools[i].coinbase_address;
    if (!address) continue;
    bool decodes = false;
    for (const node::Chain chain :
         {node::Chain::kMain, node::Chain::kTest, node::Chain::kRegtest}) {
      decodes = decodes || node::output_script(*address, chain).ok();
    }
    if (decodes) continue;
    const auto error = node::output_script(*address, likely_chain(*address));
    return "/pools/" + std::to_string(i) + "/coinbase_address: " + std::string(error.error());
  }
  return std::nullopt;
}

std::optional<std::string> cpu_backend_override(const config::Config& config) {
  if (config.devices.cpu.backend == config::CpuBackend::kAuto) return std::nullopt;
  return std::string(config::to_string(config.devices.cpu.backend));
}

std::optional<std::string> cpu_backend(const config::Config& config,
                                       const std::optional<std::string>& cli) {
  return cli ? cli : cpu_backend_override(config);
}

jarvis::JarvisConfig jarvis_config(const config::VgpuConfig& vgpu) {
  jarvis::JarvisConfig c = vgpu.profile == config::VgpuProfile::kExtreme
                               ? jarvis::make_extreme_config()
                               : jarvis::JarvisConfig{};
  if (vgpu.cache_max_items) c.cache.max_items = vgpu.cache_max_items;
  if (vgpu.cache_max_bytes) c.cache.max_bytes = vgpu.cache_max_bytes;
  if (vgpu.compression_max_bases) c.compression.max_bases = vgpu.compression_max_bases;
  c.disk_cache.path = vgpu.cache_file;
  c.disk_cache.max_bytes = vgpu.cache_file_max_bytes;
  c.quantum.max_qubits = vgpu.max_qubits;
  c.quantum.max_state_bytes = vgpu.max_state_bytes;
  c.quantum.threads = vgpu.quantum_threads;
  return c;
}

}  // namespace synthminer::daemon
