#include <gtest/gtest.h>

#include "config/load.h"
#include "config_test_util.h"

namespace synthminer::config {
namespace {

TEST(ConfigDefaults, MinimalFileGetsEveryDefault) {
  const auto config = parse_config(test::doc());
  ASSERT_TRUE(config.ok()) << config.error().message();
  ASSERT_EQ(config->pools.size(), 1u);
  const PoolConfig& pool = config->pools[0];
  EXPECT_EQ(pool.url, "stratum+tcp://pool.example.com:3333");
  EXPECT_EQ(pool.user, "worker");
  EXPECT_EQ(pool.password, "x");
  EXPECT_FALSE(pool.name.has_value());
  EXPECT_EQ(pool.tls, TlsConfig{});
  EXPECT_TRUE(pool.version_rolling);
  EXPECT_EQ(pool.version_mask, 0x1fffe000u);
  EXPECT_FALSE(pool.extranonce_subscribe);
  EXPECT_FALSE(pool.suggest_difficulty.has_value());
  EXPECT_FALSE(pool.allow_reconnect_other_host);

  EXPECT_EQ(config->stratum, StratumConfig{});
  EXPECT_EQ(config->stratum.max_line_bytes, 65536u);
  EXPECT_EQ(config->stratum.max_write_queue_bytes, 1048576u);
  EXPECT_EQ(config->stratum.backoff_initial_seconds, 1);
  EXPECT_EQ(config->stratum.backoff_max_seconds, 60);
  EXPECT_EQ(config->stratum.failover_after_failures, 3u);

  EXPECT_TRUE(config->devices.cpu.enabled);
  EXPECT_EQ(config->devices.cpu.threads, 0u);
  EXPECT_FALSE(config->devices.cpu.affinity.has_value());
  EXPECT_EQ(config->devices.cpu.backend, CpuBackend::kAuto);
  EXPECT_TRUE(config->devices.cuda.enabled);
  EXPECT_FALSE(config->devices.cuda.devices.has_value());
  EXPECT_EQ(config->devices.cuda.rolls_per_thread, 8u);
  EXPECT_TRUE(config->devices.cuda.kernel.empty());

  EXPECT_EQ(config->scheduler.cpu_batch_target_ms, 50u);
  EXPECT_EQ(config->scheduler.gpu_batch_target_ms, 20u);
  EXPECT_DOUBLE_EQ(config->scheduler.hardware_error_threshold, 0.01);
  EXPECT_DOUBLE_EQ(config->scheduler.stall_factor, 5);

  EXPECT_EQ(config->logging.level, LogLevel::kInfo);
  EXPECT_TRUE(config->metrics.enabled);
  EXPECT_EQ(config->metrics.listen, "127.0.0.1:9464");
  EXPECT_EQ(config->api.listen, "127.0.0.1:4048");
  EXPECT_FALSE(config->api.token.has_value());
  EXPECT_TRUE(config->vgpu.enabled);
  EXPECT_EQ(config->vgpu.profile, VgpuProfile::kDefault);
  EXPECT_EQ(config->vgpu.max_qubits, 28u);
  EXPECT_EQ(config->vgpu.max_state_bytes, uint64_t{1} << 30);
  EXPECT_TRUE(config->vgpu.gpus);
  EXPECT_EQ(config->vgpu.max_queued, 64u);
  EXPECT_EQ(config->vgpu.max_share, 0.25);
}

TEST(ConfigDefaults, EmptySectionsKeepDefaults) {
  const auto config = parse_config(test::doc(
      R"("stratum": {}, "devices": {"cpu": {}, "cuda": {}}, "scheduler": {},
         "logging": {}, "metrics": {}, "api": {}, "vgpu": {})"));
  ASSERT_TRUE(config.ok()) << config.error().message();
  Config expected;
  expected.pools = config->pools;
  EXPECT_EQ(*config, expected);
}

TEST(ConfigDefaults, CommentKeysAreIgnoredAtAnyDepth) {
  const auto config = parse_config(
      R"({"_comment": "top", "pools": [{"_note": "p", "url": "stratum+tcp://h:1", "user": "u",
          "tls": {}}], "devices": {"_c": "d", "cpu": {"_c": "c"}}})");
  ASSERT_TRUE(config.ok()) << config.error().message();
}

TEST(ConfigNames, EnumsHaveTheirJsonNames) {
  EXPECT_STREQ(to_string(CpuBackend::kAuto), "auto");
  EXPECT_STREQ(to_string(CpuBackend::kScalar), "scalar");
  EXPECT_STREQ(to_string(CpuBackend::kAvx2), "avx2");
  EXPECT_STREQ(to_string(CpuBackend::kAvx512), "avx512");
  EXPECT_STREQ(to_string(CpuBackend::kShani), "shani");
  EXPECT_STREQ(to_string(LogLevel::kTrace), "trace");
  EXPECT_STREQ(to_string(LogLevel::kDebug), "debug");
  EXPECT_STREQ(to_string(LogLevel::kInfo), "info");
  EXPECT_STREQ(to_string(LogLevel::kWarn), "warn");
  EXPECT_STREQ(to_string(LogLevel::kError), "error");
}

}  // namespace
}  // namespace synthminer::config
