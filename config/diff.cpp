#include "config/diff.h"

#include <algorithm>

namespace synthminer::config {
namespace {

/// Sets `flag` and records `path` when `a` and `b` differ.
template <class T>
void compare(const T& a, const T& b, const char* path, bool& flag, ConfigDiff& out) {
  if (a == b) return;
  flag = true;
  out.changed.emplace_back(path);
}

/// Records `path` as changed and needing a restart when `a` and `b` differ.
template <class T>
void compare_restart(const T& a, const T& b, const char* path, ConfigDiff& out) {
  if (a == b) return;
  out.changed.emplace_back(path);
  out.needs_restart.emplace_back(path);
}

void diff_pools(const std::vector<PoolConfig>& old, const std::vector<PoolConfig>& now,
                ConfigDiff& out) {
  for (size_t i = 0; i < std::max(old.size(), now.size()); ++i) {
    const bool same = i < old.size() && i < now.size() && old[i] == now[i];
    if (same) continue;
    out.pools_changed = true;
    out.changed.push_back("/pools/" + std::to_string(i));
    if (i < old.size()) out.changed_pools.push_back(i);
  }
}

void diff_devices(const DevicesConfig& old, const DevicesConfig& now, ConfigDiff& out) {
  compare(old.cpu.enabled, now.cpu.enabled, "/devices/cpu/enabled", out.cpu_enabled_changed, out);
  compare(old.cpu.threads, now.cpu.threads, "/devices/cpu/threads", out.cpu_threads_changed, out);
  compare(old.cpu.affinity, now.cpu.affinity, "/devices/cpu/affinity", out.cpu_affinity_changed,
          out);
  compare(old.cpu.backend, now.cpu.backend, "/devices/cpu/backend", out.cpu_backend_changed, out);
  compare(old.cuda.enabled, now.cuda.enabled, "/devices/cuda/enabled", out.cuda_enabled_changed,
          out);
  compare(old.cuda.devices, now.cuda.devices, "/devices/cuda/devices", out.cuda_devices_changed,
          out);
  compare(old.cuda.rolls_per_thread, now.cuda.rolls_per_thread, "/devices/cuda/rolls_per_thread",
          out.cuda_kernel_changed, out);
  compare(old.cuda.kernel, now.cuda.kernel, "/devices/cuda/kernel", out.cuda_kernel_changed, out);
}

}  // namespace

bool ConfigDiff::active_pool_changed(size_t active_index) const {
  return std::find(changed_pools.begin(), changed_pools.end(), active_index) != changed_pools.end();
}

bool ConfigDiff::devices_changed() const {
  return cpu_enabled_changed || cpu_threads_changed || cpu_affinity_changed ||
         cpu_backend_changed || cuda_enabled_changed || cuda_devices_changed || cuda_kernel_changed;
}

ConfigDiff diff(const Config& old, const Config& now) {
  ConfigDiff out;
  diff_pools(old.pools, now.pools, out);
  compare(old.stratum, now.stratum, "/stratum", out.stratum_changed, out);
  diff_devices(old.devices, now.devices, out);
  compare(old.scheduler, now.scheduler, "/scheduler", out.scheduler_changed, out);
  compare(old.logging.level, now.logging.level, "/logging/level", out.log_level_changed, out);
  compare_restart(old.metrics.enabled, now.metrics.enabled, "/metrics/enabled", out);
  compare_restart(old.metrics.listen, now.metrics.listen, "/metrics/listen", out);
  compare_restart(old.metrics.bind_retry_seconds, now.metrics.bind_retry_seconds,
                  "/metrics/bind_retry_seconds", out);
  compare_restart(old.api.bind_retry_seconds, now.api.bind_retry_seconds, "/api/bind_retry_seconds",
                  out);
  compare_restart(old.api.listen, now.api.listen, "/api/listen", out);
  compare_restart(old.api.rate_limit_per_second, now.api.rate_limit_per_second,
                  "/api/rate_limit_per_second", out);
  compare_restart(old.api.rate_limit_burst, now.api.rate_limit_burst, "/api/rate_limit_burst", out);
  compare_restart(old.api.header_timeout_seconds, now.api.header_timeout_seconds,
                  "/api/header_timeout_seconds", out);
  compare_restart(old.api.keep_alive_seconds, now.api.keep_alive_seconds, "/api/keep_alive_seconds",
                  out);
  compare_restart(old.api.max_connections_per_address, now.api.max_connections_per_address,
                  "/api/max_connections_per_address", out);
  compare_restart(old.api.busy_poll_us, now.api.busy_poll_us, "/api/busy_poll_us", out);
  compare(old.api.token, now.api.token, "/api/token", out.api_token_changed, out);
  compare_restart(old.vgpu, now.vgpu, "/vgpu", out);
  return out;
}

}  // namespace synthminer::config
