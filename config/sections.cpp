#include "config/sections.h"

#include "config/address.h"

namespace synthminer::config {
namespace {

constexpr double kDay = 86400;  // the longest time any setting accepts, in seconds

void read_seconds(ObjectReader& in, std::string_view key, double& out) {
  in.read_number(key, out, 0, kDay, /*min_exclusive=*/true);
}

void read_listen(ObjectReader& in, std::string& out) {
  in.read_string("listen", out);
  const auto address = parse_host_port(out, /*allow_port_zero=*/true);
  if (!address) fail(in.path_of("listen"), address.error().reason);
}

void read_cpu(ObjectReader& in, CpuConfig& out) {
  in.read_bool("enabled", out.enabled);
  in.read_uint("threads", out.threads, 0, 1024);
  in.read_index_list("affinity", out.affinity, 4095);
  in.read_choice("backend", out.backend,
                 {{"auto", CpuBackend::kAuto},
                  {"scalar", CpuBackend::kScalar},
                  {"avx2", CpuBackend::kAvx2},
                  {"avx512", CpuBackend::kAvx512},
                  {"shani", CpuBackend::kShani}});
}

// t<threads>x<nonces per thread>, optionally -imad: the form of the CUDA
// kernel shapes (hashcore/cuda), which config cannot list.
bool is_kernel_shape_name(const std::string& name) {
  size_t i = 0;
  const auto digits = [&] {
    const size_t from = i;
    while (i < name.size() && i - from < 5 && name[i] >= '0' && name[i] <= '9') ++i;
    return i > from;
  };
  if (name.empty() || name[i++] != 't' || !digits()) return false;
  if (i >= name.size() || name[i++] != 'x' || !digits()) return false;
  const std::string_view rest = std::string_view(name).substr(i);
  return rest.empty() || rest == "-imad";
}

void read_cuda(ObjectReader& in, CudaConfig& out) {
  in.read_bool("enabled", out.enabled);
  in.read_index_list("devices", out.devices, 63);
  in.read_uint("rolls_per_thread", out.rolls_per_thread, 1, 8);
  in.read_string("kernel", out.kernel);
  if (!out.kernel.empty() && !is_kernel_shape_name(out.kernel)) {
    fail(in.path_of("kernel"), "must look like \"t256x16\" or \"t256x16-imad\"");
  }
  if ((out.rolls_per_thread & (out.rolls_per_thread - 1)) != 0) {
    fail(in.path_of("rolls_per_thread"), "must be 1, 2, 4 or 8");
  }
}

}  // namespace

void read_stratum(ObjectReader& in, StratumConfig& out) {
  in.read_string("user_agent", out.user_agent);
  read_seconds(in, "connect_timeout_seconds", out.connect_timeout_seconds);
  read_seconds(in, "request_timeout_seconds", out.request_timeout_seconds);
  read_seconds(in, "job_watchdog_seconds", out.job_watchdog_seconds);
  read_seconds(in, "max_reconnect_wait_seconds", out.max_reconnect_wait_seconds);
  in.read_uint("max_line_bytes", out.max_line_bytes, 1024, 16 * 1024 * 1024);
  in.read_uint("max_write_queue_bytes", out.max_write_queue_bytes, 4096, 1024 * 1024 * 1024);
  in.read_uint("offline_queue_limit", out.offline_queue_limit, 0, 1000000);
  in.read_uint("max_submit_timeouts", out.max_submit_timeouts, 1, 1000);
  in.read_number("max_submits_per_second", out.max_submits_per_second, 0, 1000000, true);
  read_seconds(in, "backoff_initial_seconds", out.backoff_initial_seconds);
  read_seconds(in, "backoff_max_seconds", out.backoff_max_seconds);
  if (out.backoff_max_seconds < out.backoff_initial_seconds) {
    fail(in.path_of("backoff_max_seconds"), "must be >= backoff_initial_seconds");
  }
  in.read_number("backoff_multiplier", out.backoff_multiplier, 1, 10, false);
  in.read_number("backoff_jitter", out.backoff_jitter, 0, 1, false);
  in.read_uint("failover_after_failures", out.failover_after_failures, 1, 1000);
  read_seconds(in, "failback_healthy_seconds", out.failback_healthy_seconds);
  read_seconds(in, "failback_probe_interval_seconds", out.failback_probe_interval_seconds);
  in.read_number("failback_min_dwell_seconds", out.failback_min_dwell_seconds, 0, kDay, false);
}

void read_devices(ObjectReader& in, DevicesConfig& out) {
  read_section(in, "cpu", [&](ObjectReader& cpu) { read_cpu(cpu, out.cpu); });
  read_section(in, "cuda", [&](ObjectReader& cuda) { read_cuda(cuda, out.cuda); });
}

void read_scheduler(ObjectReader& in, SchedulerConfig& out) {
  in.read_uint("cpu_batch_target_ms", out.cpu_batch_target_ms, 1, 60000);
  in.read_uint("gpu_batch_target_ms", out.gpu_batch_target_ms, 1, 60000);
  in.read_number("hardware_error_threshold", out.hardware_error_threshold, 0, 1, true);
  in.read_number("stall_factor", out.stall_factor, 1, 1000, true);
}

void read_logging(ObjectReader& in, LoggingConfig& out) {
  in.read_choice("level", out.level,
                 {{"trace", LogLevel::kTrace},
                  {"debug", LogLevel::kDebug},
                  {"info", LogLevel::kInfo},
                  {"warn", LogLevel::kWarn},
                  {"error", LogLevel::kError}});
}

void read_metrics(ObjectReader& in, MetricsConfig& out) {
  in.read_bool("enabled", out.enabled);
  read_listen(in, out.listen);
  in.read_number("bind_retry_seconds", out.bind_retry_seconds, 0, 3600, /*min_exclusive=*/true);
}

void read_api(ObjectReader& in, ApiConfig& out) {
  read_listen(in, out.listen);
  in.read_string("token", out.token);
  in.read_number("rate_limit_per_second", out.rate_limit_per_second, 0, 1e6,
                 /*min_exclusive=*/false);
  in.read_uint("rate_limit_burst", out.rate_limit_burst, 1, 1'000'000);
  in.read_number("header_timeout_seconds", out.header_timeout_seconds, 0, 300,
                 /*min_exclusive=*/true);
  in.read_number("keep_alive_seconds", out.keep_alive_seconds, 0, 3600, /*min_exclusive=*/true);
  in.read_uint("max_connections_per_address", out.max_connections_per_address, 1, 64);
  in.read_number("bind_retry_seconds", out.bind_retry_seconds, 0, 3600, /*min_exclusive=*/true);
  in.read_uint("busy_poll_us", out.busy_poll_us, 0, 10'000);
  if (out.token && out.token->size() < 16) {
    fail(in.path_of("token"), "must be at least 16 characters");
  }
  if (!out.token && !is_loopback(parse_host_port(out.listen, true)->host)) {
    fail(in.path_of("listen"), "a listener beyond loopback needs a token (api.token)");
  }
}

void read_vgpu(ObjectReader& in, VgpuConfig& out) {
  constexpr uint64_t kTiB = uint64_t{1} << 40;
  in.read_bool("enabled", out.enabled);
  in.read_choice("profile", out.profile,
                 {{"default", VgpuProfile::kDefault}, {"extreme", VgpuProfile::kExtreme}});
  in.read_uint("cache_max_items", out.cache_max_items, 0, 100'000'000);
  in.read_uint("cache_max_bytes", out.cache_max_bytes, 0, kTiB);
  in.read_uint("compression_max_bases", out.compression_max_bases, 0, 1'000'000);
  in.read_uint("max_qubits", out.max_qubits, 1, 40);
  in.read_uint("max_state_bytes", out.max_state_bytes, 1024, kTiB);
  in.read_uint("quantum_threads", out.quantum_threads, 0, 1024);
  in.read_bool("gpus", out.gpus);
  in.read_uint("max_queued", out.max_queued, 1, 100'000);
  in.read_number("max_share", out.max_share, 0, 1, /*min_exclusive=*/true);
  in.read_string("cache_file", out.cache_file);
  if (!out.cache_file.empty() && out.cache_file.front() != '/')
    fail(in.path_of("cache_file"), "must be an absolute path (or \"\" for no disk tier)");
  in.read_uint("cache_file_max_bytes", out.cache_file_max_bytes, uint64_t{1} << 20, kTiB);
  in.read_uint("tensor_store_max_bytes", out.tensor_store_max_bytes, uint64_t{1} << 20, kTiB);
  in.read_uint("tensor_store_max_tensors", out.tensor_store_max_tensors, 1, 10'000'000);
  in.read_uint("tensor_upload_max_bytes", out.tensor_upload_max_bytes, 1024, uint64_t{1} << 32);
}

}  // namespace synthminer::config
