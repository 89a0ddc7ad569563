#include <gtest/gtest.h>

#include <functional>

#include "config/diff.h"

namespace synthminer::config {
namespace {

Config base() {
  Config config;
  config.pools.resize(2);
  config.pools[0].url = "stratum+tcp://a:1";
  config.pools[0].user = "u";
  config.pools[1].url = "stratum+tcp://b:1";
  config.pools[1].user = "u";
  return config;
}

TEST(ConfigDiff, IdenticalConfigsHaveNoChanges) {
  const ConfigDiff d = diff(base(), base());
  EXPECT_TRUE(d.empty());
  EXPECT_FALSE(d.pools_changed);
  EXPECT_FALSE(d.devices_changed());
  EXPECT_TRUE(d.needs_restart.empty());
}

TEST(ConfigDiff, EditedPoolIsNamedAndActiveCheckUsesIt) {
  Config now = base();
  now.pools[1].password = "new";
  const ConfigDiff d = diff(base(), now);
  EXPECT_TRUE(d.pools_changed);
  EXPECT_EQ(d.changed_pools, (std::vector<size_t>{1}));
  EXPECT_TRUE(d.active_pool_changed(1));
  EXPECT_FALSE(d.active_pool_changed(0));
  EXPECT_EQ(d.changed, (std::vector<std::string>{"/pools/1"}));
  EXPECT_TRUE(d.needs_restart.empty());
}

TEST(ConfigDiff, RemovedPoolCountsAsChangedAddedPoolDoesNotTouchOld) {
  Config fewer = base();
  fewer.pools.pop_back();
  const ConfigDiff removed = diff(base(), fewer);
  EXPECT_TRUE(removed.pools_changed);
  EXPECT_TRUE(removed.active_pool_changed(1));
  EXPECT_FALSE(removed.active_pool_changed(0));

  Config more = base();
  more.pools.push_back(more.pools[0]);
  const ConfigDiff added = diff(base(), more);
  EXPECT_TRUE(added.pools_changed);
  EXPECT_TRUE(added.changed_pools.empty());
  EXPECT_EQ(added.changed, (std::vector<std::string>{"/pools/2"}));
}

TEST(ConfigDiff, PoolTlsEditIsAPoolChange) {
  Config now = base();
  now.pools[0].tls.insecure = true;
  EXPECT_TRUE(diff(base(), now).active_pool_changed(0));
}

struct ChangeCase {
  const char* name;
  std::function<void(Config&)> edit;
  std::function<bool(const ConfigDiff&)> flag;
  const char* path;
};

class OneChange : public ::testing::TestWithParam<ChangeCase> {};

TEST_P(OneChange, SetsItsFlagAndPathOnly) {
  Config now = base();
  GetParam().edit(now);
  const ConfigDiff d = diff(base(), now);
  EXPECT_TRUE(GetParam().flag(d));
  EXPECT_EQ(d.changed, (std::vector<std::string>{GetParam().path}));
  EXPECT_FALSE(d.pools_changed);
  EXPECT_TRUE(d.needs_restart.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Config, OneChange,
    ::testing::ValuesIn(std::vector<ChangeCase>{
        {"Stratum", [](Config& c) { c.stratum.backoff_max_seconds = 5; },
         [](const ConfigDiff& d) { return d.stratum_changed; }, "/stratum"},
        {"LogLevel", [](Config& c) { c.logging.level = LogLevel::kDebug; },
         [](const ConfigDiff& d) { return d.log_level_changed; }, "/logging/level"},
        {"CpuEnabled", [](Config& c) { c.devices.cpu.enabled = false; },
         [](const ConfigDiff& d) { return d.cpu_enabled_changed && d.devices_changed(); },
         "/devices/cpu/enabled"},
        {"CpuThreads", [](Config& c) { c.devices.cpu.threads = 3; },
         [](const ConfigDiff& d) { return d.cpu_threads_changed; }, "/devices/cpu/threads"},
        {"CpuAffinity", [](Config& c) { c.devices.cpu.affinity = std::vector<uint32_t>{1}; },
         [](const ConfigDiff& d) { return d.cpu_affinity_changed; }, "/devices/cpu/affinity"},
        {"CpuBackend", [](Config& c) { c.devices.cpu.backend = CpuBackend::kScalar; },
         [](const ConfigDiff& d) { return d.cpu_backend_changed; }, "/devices/cpu/backend"},
        {"CudaEnabled", [](Config& c) { c.devices.cuda.enabled = false; },
         [](const ConfigDiff& d) { return d.cuda_enabled_changed; }, "/devices/cuda/enabled"},
        {"CudaDevices", [](Config& c) { c.devices.cuda.devices = std::vector<uint32_t>{0}; },
         [](const ConfigDiff& d) { return d.cuda_devices_changed; }, "/devices/cuda/devices"},
        {"CudaRolls", [](Config& c) { c.devices.cuda.rolls_per_thread = 1; },
         [](const ConfigDiff& d) { return d.cuda_kernel_changed && d.devices_changed(); },
         "/devices/cuda/rolls_per_thread"},
        {"CudaKernel", [](Config& c) { c.devices.cuda.kernel = "t256x4"; },
         [](const ConfigDiff& d) { return d.cuda_kernel_changed && d.devices_changed(); },
         "/devices/cuda/kernel"},
        {"SchedulerCpu", [](Config& c) { c.scheduler.cpu_batch_target_ms = 10; },
         [](const ConfigDiff& d) { return d.scheduler_changed; }, "/scheduler"},
        {"SchedulerGpu", [](Config& c) { c.scheduler.gpu_batch_target_ms = 10; },
         [](const ConfigDiff& d) { return d.scheduler_changed; }, "/scheduler"},
        {"ApiToken", [](Config& c) { c.api.token = "abcdefghijklmnopqrst"; },
         [](const ConfigDiff& d) { return d.api_token_changed; }, "/api/token"},
    }),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ConfigDiff, ListenAddressesNeedARestart) {
  Config now = base();
  now.metrics.listen = "127.0.0.1:9000";
  now.api.listen = "127.0.0.1:5000";
  now.metrics.enabled = false;
  now.api.rate_limit_burst = 7;
  const ConfigDiff d = diff(base(), now);
  EXPECT_EQ(d.needs_restart, (std::vector<std::string>{"/metrics/enabled", "/metrics/listen",
                                                       "/api/listen", "/api/rate_limit_burst"}));
  EXPECT_FALSE(d.api_token_changed);
  EXPECT_FALSE(d.empty());
}

TEST(ConfigDiff, VgpuSettingsNeedARestart) {
  Config now = base();
  now.vgpu.max_qubits = 20;
  const ConfigDiff d = diff(base(), now);
  EXPECT_EQ(d.needs_restart, std::vector<std::string>{"/vgpu"});
  EXPECT_EQ(d.changed, std::vector<std::string>{"/vgpu"});
}

TEST(ConfigDiff, SeveralChangesAreAllListed) {
  Config now = base();
  now.pools[0].user = "v";
  now.logging.level = LogLevel::kError;
  now.api.listen = "127.0.0.1:1";
  const ConfigDiff d = diff(base(), now);
  EXPECT_TRUE(d.active_pool_changed(0));
  EXPECT_TRUE(d.log_level_changed);
  EXPECT_EQ(d.changed, (std::vector<std::string>{"/pools/0", "/logging/level", "/api/listen"}));
  EXPECT_EQ(d.needs_restart, (std::vector<std::string>{"/api/listen"}));
}

}  // namespace
}  // namespace synthminer::config
