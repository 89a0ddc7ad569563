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

TEST(LatencySamples, HistogramBucketsByUpperBound) {
  LatencySamples s;
  for (const double ms : {0.5, 1.0, 1.5, 2.0, 7.0, 80.0}) s.add(ms);
  const std::vector<double> bounds{1, 2, 5};
  EXPECT_EQ(s.histogram(bounds), (std::vector<size_t>{2, 2, 0, 2}));
  EXPECT_EQ(s.histogram_line(bounds), "<=1ms:2 <=2ms:2 <=5ms:0 >5ms:2");
  EXPECT_EQ(LatencySamples{}.histogram(bounds), (std::vector<size_t>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace synthminer::daemon
