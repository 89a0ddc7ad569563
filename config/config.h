// The daemon's configuration as plain structs with their defaults. Filled by
// parse_config / load_config_file (config/load.h), compared by diff
// (config/diff.h). The key names and meanings are in config/README.md.
// Nothing here knows the modules that use it: the daemon maps each section
// onto that module's own options struct.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace synthminer::config {

/// pools[i].tls: only meaningful for stratum+ssl:// and stratum+tls:// URLs.
struct TlsConfig {
  bool insecure = false;  ///< skip chain and host-name checks (the pin is still checked)
  std::optional<std::string> fingerprint_sha256;  ///< leaf certificate pin, 64 hex digits
  std::optional<std::string> ca_file;             ///< PEM bundle instead of the system store

  bool operator==(const TlsConfig&) const = default;
};

/// One pool; pools are listed in priority order, index 0 preferred.
struct PoolConfig {
  std::string
      url;  ///< stratum+tcp://host:port, stratum+ssl://…, stratum+tls://…; http(s):// a node
  std::string user;                 ///< a node: the RPC user ("" with a cookie_file)
  std::string password = "x";       ///< the usual placeholder; most pools ignore it
  std::optional<std::string> name;  ///< for logs and metrics; unset means "host:port"
  TlsConfig tls;
  bool version_rolling = true;                 ///< BIP 310 mining.configure
  uint32_t version_mask = 0x1fffe000;          ///< written as 8 hex digits in JSON
  bool extranonce_subscribe = false;           ///< mining.extranonce.subscribe
  std::optional<uint64_t> suggest_difficulty;  ///< mining.suggest_difficulty, >= 1
  bool allow_reconnect_other_host = false;     ///< follow client.reconnect to another host

  // A node (http:// or https:// URL), for solo mining by getblocktemplate:
  bool node = false;                            ///< set from the URL
  std::optional<std::string> coinbase_address;  ///< required for a node: the reward's payee
  std::optional<std::string> cookie_file;       ///< Bitcoin Core's .cookie instead of user/password
  double template_refresh_seconds = 30;         ///< fetch the template again for new transactions

  bool operator==(const PoolConfig&) const = default;
};

/// "stratum": settings of the pool client that apply to every pool. Times in seconds.
struct StratumConfig {
  std::string user_agent;                    ///< "" means "synthminer/<version>"
  double connect_timeout_seconds = 10;       ///< resolve + connect + TLS handshake
  double request_timeout_seconds = 30;       ///< replies to subscribe, authorize, submit
  double job_watchdog_seconds = 180;         ///< no mining.notify for this long: reconnect
  double max_reconnect_wait_seconds = 60;    ///< cap on client.reconnect's wait
  uint64_t max_line_bytes = 65536;           ///< a longer line from the pool closes the link
  uint64_t max_write_queue_bytes = 1048576;  ///< unsent bytes to a pool that stopped reading
  uint64_t offline_queue_limit = 64;         ///< shares kept while disconnected
  uint32_t max_submit_timeouts = 3;          ///< unanswered submits in a row end the session
  double max_submits_per_second = 100;       ///< per pool; the rest count as stale
  double backoff_initial_seconds = 1;
  double backoff_max_seconds = 60;
  double backoff_multiplier = 2;
  double backoff_jitter = 0.5;  ///< 0..1: a delay is drawn from [base * (1 - jitter), base]
  uint32_t failover_after_failures = 3;         ///< consecutive failures on one pool
  double failback_healthy_seconds = 120;        ///< a better pool must be healthy this long
  double failback_probe_interval_seconds = 30;  ///< how often better pools are probed
  double failback_min_dwell_seconds = 60;       ///< stay this long on a pool before failing back

  bool operator==(const StratumConfig&) const = default;
};

enum class CpuBackend { kAuto, kScalar, kAvx2, kAvx512, kShani };

struct CpuConfig {
  bool enabled = true;
  uint32_t threads = 0;                           ///< 0 means one per core
  std::optional<std::vector<uint32_t>> affinity;  ///< CPU indices to pin workers to
  CpuBackend backend = CpuBackend::kAuto;

  bool operator==(const CpuConfig&) const = default;
};

struct CudaConfig {
  bool enabled = true;
  std::optional<std::vector<uint32_t>> devices;  ///< CUDA device indices; unset means all
  /// Version rolls one GPU thread hashes together (1, 2, 4 or 8): they share
  /// the header's second-block message schedule. 1: one header at a time.
  uint32_t rolls_per_thread = 8;
  /// Kernel shape, "t<threads>x<nonces per thread>[-imad]" (synthminerd
  /// --benchmark --backend cuda --cuda-kernel all lists them); empty: the
  /// built-in default.
  std::string kernel;

  bool operator==(const CudaConfig&) const = default;
};

struct DevicesConfig {
  CpuConfig cpu;
  CudaConfig cuda;

  bool operator==(const DevicesConfig&) const = default;
};

struct SchedulerConfig {
  uint32_t cpu_batch_target_ms = 50;       ///< how long one CPU batch should take
  uint32_t gpu_batch_target_ms = 20;       ///< how long one GPU batch should take
  double hardware_error_threshold = 0.01;  ///< failed verifications / candidates to disable
  double stall_factor = 5;                 ///< a batch this many times over its target is a stall

  bool operator==(const SchedulerConfig&) const = default;
};

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

struct LoggingConfig {
  LogLevel level = LogLevel::kInfo;

  bool operator==(const LoggingConfig&) const = default;
};

struct MetricsConfig {
  bool enabled = true;
  std::string listen = "127.0.0.1:9464";  ///< host:port of the Prometheus endpoint
  double bind_retry_seconds = 30;         ///< a failed bind is retried this often; mining goes on

  bool operator==(const MetricsConfig&) const = default;
};

struct ApiConfig {
  std::string listen = "127.0.0.1:4048";     ///< host:port of the JSON API
  std::optional<std::string> token;          ///< bearer token; required beyond loopback
  double rate_limit_per_second = 20;         ///< requests per client address; 0 turns it off
  uint32_t rate_limit_burst = 40;            ///< requests a client may send at once
  double header_timeout_seconds = 5;         ///< accept to the first complete request header
  double keep_alive_seconds = 10;            ///< idle between requests on one connection
  uint32_t max_connections_per_address = 8;  ///< of the 64 slots, per client address
  double bind_retry_seconds = 30;            ///< a failed bind is retried this often
  uint32_t busy_poll_us = 0;  ///< the daemon's io loop polls this long after a handler; 0: off

  bool operator==(const ApiConfig&) const = default;
};

enum class VgpuProfile { kDefault, kExtreme };

/// The Jarvis layers in the daemon (POST /1/vgpu/submit). Every key needs a restart.
struct VgpuConfig {
  bool enabled = true;                           ///< serve /1/vgpu/*; false answers 503
  VgpuProfile profile = VgpuProfile::kDefault;   ///< extreme: the seed's EXTREME_CONFIG sizes
  uint64_t cache_max_items = 0;                  ///< 0: the profile's (100,000 / 1,000,000)
  uint64_t cache_max_bytes = 0;                  ///< 0: the profile's (256 MiB / 4 GiB)
  uint64_t compression_max_bases = 0;            ///< 0: the profile's (1,024 / 20,000)
  uint32_t max_qubits = 28;                      ///< larger circuits are refused
  uint64_t max_state_bytes = uint64_t{1} << 30;  ///< 16 * 2^qubits must fit
  uint32_t quantum_threads = 0;                  ///< 0: one per hardware thread
  bool gpus = true;                              ///< route work to the CUDA GPUs that mine
  uint32_t max_queued = 64;                      ///< requests waiting; more get 503
  double max_share = 0.25;  ///< the most of each device's busy time vgpu work takes, (0, 1]
  /// The persistent cache tier (SQLite), an absolute path; empty: none.
  std::string cache_file;
  uint64_t cache_file_max_bytes = uint64_t{1} << 30;       ///< keys + values on disk
  uint64_t tensor_store_max_bytes = uint64_t{1} << 30;     ///< uploaded tensors held (data bytes)
  uint64_t tensor_store_max_tensors = 65536;               ///< uploaded tensors held (count)
  uint64_t tensor_upload_max_bytes = uint64_t{256} << 20;  ///< one POST /1/vgpu/tensors body

  bool operator==(const VgpuConfig&) const = default;
};

struct Config {
  std::vector<PoolConfig> pools;  ///< at least one
  StratumConfig stratum;
  DevicesConfig devices;
  SchedulerConfig scheduler;
  LoggingConfig logging;
  MetricsConfig metrics;
  ApiConfig api;
  VgpuConfig vgpu;

  bool operator==(const Config&) const = default;
};

/// "auto", "scalar", "avx2", "avx512", "shani".
const char* to_string(CpuBackend backend);
/// "trace", "debug", "info", "warn", "error".
const char* to_string(LogLevel level);
/// "default", "extreme".
const char* to_string(VgpuProfile profile);

}  // namespace synthminer::config
