// Batch sizing from a moving average of the measured rate.
#include "scheduler/batch_sizer.h"

#include <gtest/gtest.h>

namespace synthminer::scheduler {
namespace {

// Runs `seconds` of simulated batches of a device hashing `rate` nonces/s.
void run_device(BatchSizer& sizer, double rate, double seconds) {
  for (double t = 0; t < seconds;) {
    const uint64_t nonces = sizer.batch_nonces();
    const double took = static_cast<double>(nonces) / rate;
    sizer.record(nonces, took);
    t += took;
  }
}

double batch_seconds(const BatchSizer& sizer, double rate) {
  return static_cast<double>(sizer.batch_nonces()) / rate;
}

TEST(BatchSizer, ConvergesToTheTargetDurationAndFollowsARateChange) {
  BatchSizer sizer;  // 50 ms, assumes 1 MH/s
  run_device(sizer, 20e6, 5.0);
  EXPECT_NEAR(batch_seconds(sizer, 20e6), 0.050, 0.005);
  run_device(sizer, 2e6, 5.0);  // the device slows down tenfold
  EXPECT_NEAR(batch_seconds(sizer, 2e6), 0.050, 0.005);
  run_device(sizer, 50e6, 5.0);
  EXPECT_NEAR(batch_seconds(sizer, 50e6), 0.050, 0.005);
}

TEST(BatchSizer, GpuDefaultsAimForTwentyMilliseconds) {
  BatchSizer sizer(gpu_batch_options());
  run_device(sizer, 3e9, 5.0);
  EXPECT_NEAR(batch_seconds(sizer, 3e9), 0.020, 0.002);
}

TEST(BatchSizer, ClampsAndIgnoresEmptySamples) {
  BatchSizerOptions options;
  options.min_nonces = 4096;
  options.max_nonces = 1u << 20;
  BatchSizer sizer(options);
  sizer.record(0, 1.0);
  sizer.record(100, 0.0);
  EXPECT_EQ(sizer.rate(), options.initial_rate);
  run_device(sizer, 10, 10.0);  // very slow: the floor holds
  EXPECT_EQ(sizer.batch_nonces(), 4096u);
  for (int i = 0; i < 100; ++i) sizer.record(uint64_t{1} << 40, 1.0);
  EXPECT_EQ(sizer.batch_nonces(), uint64_t{1} << 20);
}

}  // namespace
}  // namespace synthminer::scheduler
