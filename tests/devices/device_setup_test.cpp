// The "devices" and "scheduler" config sections become the workers and
// scheduler options the daemon mines with.
#include "devices/device_setup.h"

#include <gtest/gtest.h>

#include "devices/gpu_devices.h"
#include "hashcore/backend.h"

namespace synthminer::devices {
namespace {

const hashcore::Backend& scalar() {
  return *hashcore::find_backend("scalar");
}

TEST(DeviceSetup, CpuThreadsAndPinningFollowTheConfig) {
  config::Config config;
  config.devices.cpu.threads = 3;
  config.devices.cpu.affinity = std::vector<uint32_t>{4, 6};
  config.devices.cuda.enabled = false;
  config.scheduler.cpu_batch_target_ms = 80;
  const DeviceSetup setup = build_devices(config, scalar());
  ASSERT_EQ(setup.devices.size(), 3u);
  EXPECT_EQ(setup.devices[0].device->name(), "cpu_0");
  EXPECT_EQ(setup.devices[2].device->name(), "cpu_2");
  // Affinity entries are used in turn.
  EXPECT_EQ(setup.devices[0].options.pin_cpu, 4u);
  EXPECT_EQ(setup.devices[1].options.pin_cpu, 6u);
  EXPECT_EQ(setup.devices[2].options.pin_cpu, 4u);
  for (const auto& d : setup.devices) {
    EXPECT_DOUBLE_EQ(d.options.sizing.target_seconds, 0.080);
    EXPECT_GT(d.measured_rate, 0);
    EXPECT_DOUBLE_EQ(d.options.sizing.initial_rate, d.measured_rate);
    EXPECT_TRUE(d.options.runs_tasks);
  }
  // A CUDA build says the GPUs were turned off; a CPU-only build has none.
  if (gpu_backend_built()) {
    ASSERT_FALSE(setup.notes.empty());
    EXPECT_NE(setup.notes.front().find("cuda: disabled"), std::string::npos);
  }
}

TEST(DeviceSetup, ThreadsOverrideAndDisabledCpu) {
  config::Config config;
  config.devices.cpu.threads = 5;
  EXPECT_EQ(build_devices(config, scalar(), 1).devices.size(), 1u);
  EXPECT_FALSE(build_devices(config, scalar(), 1).devices.front().options.pin_cpu);
  config.devices.cpu.enabled = false;
  const DeviceSetup none = build_devices(config, scalar());
  // No GPU on the test machines: nothing to mine with, and the notes say why.
  if (none.devices.empty()) {
    ASSERT_FALSE(none.notes.empty());
    EXPECT_NE(none.notes.back().find("devices.cpu.enabled"), std::string::npos);
  }
}

TEST(DeviceSetup, HardwareErrorThresholdSetsTheHealthPolicy) {
  config::SchedulerConfig config;
  config.hardware_error_threshold = 0.01;
  config.stall_factor = 7;
  const auto options = scheduler_options(config);
  EXPECT_DOUBLE_EQ(options.health.disable_rate, 0.01);
  EXPECT_DOUBLE_EQ(options.health.backoff_rate, 0.005);
  // One error in a handful of candidates must not cross a 1% threshold.
  EXPECT_GE(options.health.min_samples, 300u);
  EXPECT_GE(options.health.window, options.health.min_samples);
  EXPECT_DOUBLE_EQ(options.timing.stall_factor, 7);

  config.hardware_error_threshold = 0.5;
  const auto loose = scheduler_options(config);
  EXPECT_EQ(loose.health.min_samples, 10u);
  EXPECT_DOUBLE_EQ(loose.health.disable_rate, 0.5);
}

}  // namespace
}  // namespace synthminer::devices
