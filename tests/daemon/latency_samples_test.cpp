#include "daemon/latency_samples.h"

#include <gtest/gtest.h>

namespace synthminer::daemon {
namespace {

TEST(LatencySamples, NearestRankPercentiles) {
  LatencySamples s;
  EXPECT_EQ(s.percentile(50), 0.0);
  for (int i = 100; i >= 1; --i) s.add(i);  // order does not matter
  EXPECT_EQ(s.count(), 100u);
  EXPECT_EQ(s.percentile(50), 50.0);
  EXPECT_EQ(s.percentile(99), 99.0);
  EXPECT_EQ(s.percentile(100), 100.0);
  EXPECT_EQ(s.percentile(0), 1.0);
}

}  // namespace
}  // namespace synthminer::daemon
