#include <gtest/gtest.h>

#include "config/load.h"

namespace synthminer::config {
namespace {

constexpr const char* kEverything = R"({
  "pools": [
    {"url": "stratum+tcp://a.example:3333", "user": "alice.1", "password": "pw",
     "name": "a", "version_rolling": false, "version_mask": "00ffe000",
     "extranonce_subscribe": true, "suggest_difficulty": 1024,
     "allow_reconnect_other_host": true},
    {"url": "stratum+tls://[2001:db8::1]:443", "user": "bob",
     "tls": {"insecure": true, "ca_file": "/etc/ca.pem",
             "fingerprint_sha256": "AB:CD:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89"}}
  ],
  "stratum": {"user_agent": "ua/1", "connect_timeout_seconds": 2.5, "request_timeout_seconds": 3,
              "job_watchdog_seconds": 4, "max_reconnect_wait_seconds": 5,
              "max_line_bytes": 4096, "max_write_queue_bytes": 8192, "offline_queue_limit": 7,
              "max_submit_timeouts": 5, "max_submits_per_second": 2.5,
              "backoff_initial_seconds": 0.5, "backoff_max_seconds": 8, "backoff_multiplier": 1.5,
              "backoff_jitter": 0, "failover_after_failures": 9,
              "failback_healthy_seconds": 10, "failback_probe_interval_seconds": 11,
              "failback_min_dwell_seconds": 0},
  "devices": {"cpu": {"enabled": false, "threads": 6, "affinity": [3, 1, 2], "backend": "avx512"},
              "cuda": {"enabled": false, "devices": [1, 0]}},
  "scheduler": {"cpu_batch_target_ms": 100, "gpu_batch_target_ms": 10,
                "hardware_error_threshold": 0.5, "stall_factor": 2.5},
  "logging": {"level": "debug"},
  "metrics": {"enabled": false, "listen": "0.0.0.0:9100", "bind_retry_seconds": 7},
  "api": {"listen": "[::]:8080", "token": "0123456789abcdef0123", "rate_limit_per_second": 5.5,
          "rate_limit_burst": 11, "header_timeout_seconds": 2.5, "keep_alive_seconds": 30,
          "max_connections_per_address": 4, "bind_retry_seconds": 8, "busy_poll_us": 150},
  "vgpu": {"enabled": false, "profile": "extreme", "cache_max_items": 5000,
           "cache_max_bytes": 1048576, "compression_max_bases": 12, "max_qubits": 20,
           "max_state_bytes": 16777216, "quantum_threads": 3, "gpus": false, "max_queued": 9,
           "max_share": 0.5, "cache_file_max_bytes": 2097152, "tensor_store_max_bytes": 4194304,
           "tensor_store_max_tensors": 77, "tensor_upload_max_bytes": 65536}
})";

TEST(ConfigFields, EveryFieldIsRead) {
  const auto parsed = parse_config(kEverything);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  const Config& c = *parsed;
  ASSERT_EQ(c.pools.size(), 2u);
  const PoolConfig& a = c.pools[0];
  EXPECT_EQ(a.url, "stratum+tcp://a.example:3333");
  EXPECT_EQ(a.user, "alice.1");
  EXPECT_EQ(a.password, "pw");
  EXPECT_EQ(a.name, "a");
  EXPECT_FALSE(a.version_rolling);
  EXPECT_EQ(a.version_mask, 0x00ffe000u);
  EXPECT_TRUE(a.extranonce_subscribe);
  EXPECT_EQ(a.suggest_difficulty, 1024u);
  EXPECT_TRUE(a.allow_reconnect_other_host);
  const PoolConfig& b = c.pools[1];
  EXPECT_TRUE(b.tls.insecure);
  EXPECT_EQ(b.tls.ca_file, "/etc/ca.pem");
  ASSERT_TRUE(b.tls.fingerprint_sha256.has_value());
  EXPECT_EQ(b.tls.fingerprint_sha256->substr(0, 5), "AB:CD");

  EXPECT_EQ(c.stratum.user_agent, "ua/1");
  EXPECT_DOUBLE_EQ(c.stratum.connect_timeout_seconds, 2.5);
  EXPECT_DOUBLE_EQ(c.stratum.request_timeout_seconds, 3);
  EXPECT_DOUBLE_EQ(c.stratum.job_watchdog_seconds, 4);
  EXPECT_DOUBLE_EQ(c.stratum.max_reconnect_wait_seconds, 5);
  EXPECT_EQ(c.stratum.max_line_bytes, 4096u);
  EXPECT_EQ(c.stratum.max_write_queue_bytes, 8192u);
  EXPECT_EQ(c.stratum.offline_queue_limit, 7u);
  EXPECT_EQ(c.stratum.max_submit_timeouts, 5u);
  EXPECT_DOUBLE_EQ(c.stratum.max_submits_per_second, 2.5);
  EXPECT_DOUBLE_EQ(c.stratum.backoff_initial_seconds, 0.5);
  EXPECT_DOUBLE_EQ(c.stratum.backoff_max_seconds, 8);
  EXPECT_DOUBLE_EQ(c.stratum.backoff_multiplier, 1.5);
  EXPECT_DOUBLE_EQ(c.stratum.backoff_jitter, 0);
  EXPECT_EQ(c.stratum.failover_after_failures, 9u);
  EXPECT_DOUBLE_EQ(c.stratum.failback_healthy_seconds, 10);
  EXPECT_DOUBLE_EQ(c.stratum.failback_probe_interval_seconds, 11);
  EXPECT_DOUBLE_EQ(c.stratum.failback_min_dwell_seconds, 0);

  EXPECT_FALSE(c.devices.cpu.enabled);
  EXPECT_EQ(c.devices.cpu.threads, 6u);
  EXPECT_EQ(c.devices.cpu.affinity, (std::vector<uint32_t>{3, 1, 2}));
  EXPECT_EQ(c.devices.cpu.backend, CpuBackend::kAvx512);
  EXPECT_FALSE(c.devices.cuda.enabled);
  EXPECT_EQ(c.devices.cuda.devices, (std::vector<uint32_t>{1, 0}));

  EXPECT_EQ(c.scheduler.cpu_batch_target_ms, 100u);
  EXPECT_EQ(c.scheduler.gpu_batch_target_ms, 10u);
  EXPECT_DOUBLE_EQ(c.scheduler.hardware_error_threshold, 0.5);
  EXPECT_DOUBLE_EQ(c.scheduler.stall_factor, 2.5);
  EXPECT_EQ(c.logging.level, LogLevel::kDebug);
  EXPECT_FALSE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.listen, "0.0.0.0:9100");
  EXPECT_DOUBLE_EQ(c.metrics.bind_retry_seconds, 7);
  EXPECT_DOUBLE_EQ(c.api.bind_retry_seconds, 8);
  EXPECT_EQ(c.api.listen, "[::]:8080");
  EXPECT_EQ(c.api.token, "0123456789abcdef0123");
  EXPECT_DOUBLE_EQ(c.api.rate_limit_per_second, 5.5);
  EXPECT_EQ(c.api.rate_limit_burst, 11u);
  EXPECT_DOUBLE_EQ(c.api.header_timeout_seconds, 2.5);
  EXPECT_DOUBLE_EQ(c.api.keep_alive_seconds, 30);
  EXPECT_EQ(c.api.max_connections_per_address, 4u);
  EXPECT_EQ(c.api.busy_poll_us, 150u);
  EXPECT_FALSE(c.vgpu.enabled);
  EXPECT_EQ(c.vgpu.profile, VgpuProfile::kExtreme);
  EXPECT_EQ(c.vgpu.cache_max_items, 5000u);
  EXPECT_EQ(c.vgpu.cache_max_bytes, 1048576u);
  EXPECT_EQ(c.vgpu.compression_max_bases, 12u);
  EXPECT_EQ(c.vgpu.max_qubits, 20u);
  EXPECT_EQ(c.vgpu.max_state_bytes, 16777216u);
  EXPECT_EQ(c.vgpu.quantum_threads, 3u);
  EXPECT_FALSE(c.vgpu.gpus);
  EXPECT_EQ(c.vgpu.max_queued, 9u);
  EXPECT_EQ(c.vgpu.max_share, 0.5);
  EXPECT_EQ(c.vgpu.cache_file_max_bytes, 2097152u);
  EXPECT_EQ(c.vgpu.tensor_store_max_bytes, 4194304u);
  EXPECT_EQ(c.vgpu.tensor_store_max_tensors, 77u);
  EXPECT_EQ(c.vgpu.tensor_upload_max_bytes, 65536u);
}

TEST(ConfigFields, EachChoiceIsAccepted) {
  for (const char* backend : {"auto", "scalar", "avx2", "avx512", "shani"}) {
    const std::string text = std::string(R"({"pools": [{"url": "stratum+tcp://h:1", "user": "u"}],
        "devices": {"cpu": {"backend": ")") +
                             backend + "\"}}}";
    const auto parsed = parse_config(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    EXPECT_STREQ(to_string(parsed->devices.cpu.backend), backend);
  }
  for (const char* level : {"trace", "debug", "info", "warn", "error"}) {
    const std::string text = std::string(R"({"pools": [{"url": "stratum+tcp://h:1", "user": "u"}],
        "logging": {"level": ")") +
                             level + "\"}}";
    const auto parsed = parse_config(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    EXPECT_STREQ(to_string(parsed->logging.level), level);
  }
}

TEST(ConfigFields, ANodeEntryIsReadBesideAPool) {
  const auto parsed = parse_config(R"({"pools": [
    {"url": "http://127.0.0.1:18443/", "cookie_file": "/var/lib/bitcoind/regtest/.cookie",
     "coinbase_address": "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
     "template_refresh_seconds": 5, "name": "own node"},
    {"url": "https://node.example:8332", "user": "rpc", "password": "secret",
     "coinbase_address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
    {"url": "stratum+tcp://pool.example:3333", "user": "w"}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  const Config& c = *parsed;
  ASSERT_EQ(c.pools.size(), 3u);
  EXPECT_TRUE(c.pools[0].node);
  EXPECT_EQ(c.pools[0].cookie_file, "/var/lib/bitcoind/regtest/.cookie");
  EXPECT_EQ(c.pools[0].coinbase_address, "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080");
  EXPECT_EQ(c.pools[0].template_refresh_seconds, 5);
  EXPECT_FALSE(c.pools[0].version_rolling);  // a node has no Stratum negotiation
  EXPECT_TRUE(c.pools[1].node);
  EXPECT_EQ(c.pools[1].user, "rpc");
  EXPECT_EQ(c.pools[1].password, "secret");
  EXPECT_EQ(c.pools[1].template_refresh_seconds, 30);
  EXPECT_FALSE(c.pools[2].node);
  EXPECT_FALSE(c.pools[2].coinbase_address.has_value());
}

}  // namespace
}  // namespace synthminer::config
