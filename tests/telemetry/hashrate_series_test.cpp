#include "telemetry/hashrate_series.h"

#include <gtest/gtest.h>

#include "tests/telemetry/fake_clock.h"

namespace synthminer::telemetry {
namespace {

using std::chrono::seconds;
using test::FakeClock;

TEST(HashrateSeries, NothingBeforeAnyBatch) {
  HashrateSeries series;
  FakeClock clock;
  EXPECT_FALSE(series.rate(seconds(10), clock.now()));
  EXPECT_FALSE(series.started());
  EXPECT_EQ(series.total(), 0u);
}

TEST(HashrateSeries, NoWindowUntilItHasHistory) {
  HashrateSeries series;
  FakeClock clock;
  // One-second batches of 1,000,000 hashes, back to back, from t = 0.
  for (int i = 0; i < 9; ++i) {
    clock.advance(1);
    series.add_batch(1'000'000, 1.0, clock.now());
  }
  EXPECT_FALSE(series.rate(seconds(10), clock.now())) << "9 s of history is not a 10 s window";
  clock.advance(1);
  series.add_batch(1'000'000, 1.0, clock.now());
  const auto r10 = series.rate(seconds(10), clock.now());
  ASSERT_TRUE(r10);
  EXPECT_NEAR(*r10, 1e6, 1e-3);
  EXPECT_FALSE(series.rate(seconds(60), clock.now()));
  EXPECT_FALSE(series.rate(seconds(900), clock.now()));
  EXPECT_EQ(series.total(), 10'000'000u);
}

TEST(HashrateSeries, IdleTimeLowersTheRate) {
  HashrateSeries series;
  FakeClock clock;
  for (int i = 0; i < 20; ++i) {
    clock.advance(1);
    series.add_batch(500, 1.0, clock.now());
  }
  clock.advance(5);  // idle: the last 10 s hold 5 s of hashing
  ASSERT_TRUE(series.rate(seconds(10), clock.now()));
  EXPECT_NEAR(*series.rate(seconds(10), clock.now()), 250, 1e-6);
  clock.advance(10);
  EXPECT_NEAR(*series.rate(seconds(10), clock.now()), 0, 1e-9);
}

TEST(HashrateSeries, InterpolatesInsideALongBatch) {
  HashrateSeries series;
  FakeClock clock;
  clock.advance(20);
  series.add_batch(20'000, 20.0, clock.now());  // one batch covering 20 s
  // The last 10 s saw half of it.
  EXPECT_NEAR(series.hashes_between(clock.now() - seconds(10), clock.now()), 10'000, 1e-6);
  EXPECT_NEAR(*series.rate(seconds(10), clock.now()), 1000, 1e-6);
}

TEST(HashrateSeries, RatesOverEveryWindowAfterFifteenMinutes) {
  HashrateSeries series;
  FakeClock clock;
  // 10 minutes at 1,000 H/s, then 5 minutes at 4,000 H/s; batches of 0.25 s.
  for (int i = 0; i < 600 * 4; ++i) {
    clock.advance(0.25);
    series.add_batch(250, 0.25, clock.now());
  }
  for (int i = 0; i < 300 * 4; ++i) {
    clock.advance(0.25);
    series.add_batch(1000, 0.25, clock.now());
  }
  EXPECT_NEAR(*series.rate(seconds(10), clock.now()), 4000, 1e-6);
  EXPECT_NEAR(*series.rate(seconds(60), clock.now()), 4000, 1e-6);
  EXPECT_NEAR(*series.rate(seconds(900), clock.now()), (600 * 1000.0 + 300 * 4000.0) / 900, 1e-6);
  // Points are merged and trimmed: memory stays bounded by the window.
  EXPECT_LE(series.points(), 2 * 905u);
  // Keep going for another 15 minutes at 4,000 H/s; the old rate ages out.
  for (int i = 0; i < 900 * 4; ++i) {
    clock.advance(0.25);
    series.add_batch(1000, 0.25, clock.now());
  }
  EXPECT_NEAR(*series.rate(seconds(900), clock.now()), 4000, 1e-6);
  EXPECT_LE(series.points(), 2 * 905u);
}

TEST(HashrateSeries, BatchEndingBeforeTheLastOneIsClamped) {
  HashrateSeries series;
  FakeClock clock;
  clock.advance(10);
  series.add_batch(1000, 10.0, clock.now());
  series.add_batch(500, 1.0, clock.now() - seconds(3));  // reported late
  EXPECT_EQ(series.total(), 1500u);
  EXPECT_NEAR(*series.rate(seconds(10), clock.now()), 150, 1e-6);
}

}  // namespace
}  // namespace synthminer::telemetry
