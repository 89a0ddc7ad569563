// generic workload: reductions against std algorithms, histogram edges, refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "vgpu/generic_ops.h"

namespace jarvis {
namespace {

using nlohmann::json;

OpResult run(const json& payload) {
  return run_generic(payload, PayloadLimits{});
}

TEST(Generic, ReductionsMatchStd) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-5, 5);
  std::vector<double> v(1000), w(1000);
  for (double& x : v) x = dist(rng);
  for (double& x : w) x = dist(rng);
  double sum = std::accumulate(v.begin(), v.end(), 0.0);
  EXPECT_DOUBLE_EQ(run({{"operation", "sum"}, {"values", v}}).result["value"].get<double>(), sum);
  EXPECT_DOUBLE_EQ(run({{"operation", "mean"}, {"values", v}}).result["value"].get<double>(),
                   sum / 1000);
  EXPECT_EQ(run({{"operation", "min"}, {"values", v}}).result["value"].get<double>(),
            *std::min_element(v.begin(), v.end()));
  EXPECT_EQ(run({{"operation", "max"}, {"values", v}}).result["value"].get<double>(),
            *std::max_element(v.begin(), v.end()));
  OpResult dot = run({{"operation", "dot"}, {"values", v}, {"other", w}});
  ASSERT_TRUE(dot.ok) << dot.error;
  EXPECT_NEAR(dot.result["value"].get<double>(),
              std::inner_product(v.begin(), v.end(), w.begin(), 0.0), 1e-9);
  EXPECT_EQ(dot.flops, 1999u);
  auto sorted = run({{"operation", "sort"}, {"values", v}, {"descending", true}})
                    .result["value"]
                    .get<std::vector<double>>();
  EXPECT_TRUE(std::is_sorted(sorted.rbegin(), sorted.rend()));
  EXPECT_EQ(sorted.size(), v.size());
}

TEST(Generic, HistogramCountsEveryValueOnce) {
  OpResult r = run(json::parse(R"({"operation":"histogram","values":[0,1,2,3,4,5,6,7,8,9,10,42],
                                   "bins":5,"range":[0,10]})"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], json::array({2, 2, 2, 2, 3}));
  EXPECT_EQ(r.result["outside"], 1);
  EXPECT_EQ(r.result["edges"].size(), 6u);
}

TEST(Generic, BadPayloadsAreRefusedWithAReason) {
  auto refused = [](const json& p, const std::string& fragment) {
    OpResult r = run_generic(p, PayloadLimits{});
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find(fragment), std::string::npos) << r.error;
  };
  refused(json::parse(R"({"operation":"sum"})"), "values: missing");
  refused(json::parse(R"({"operation":"sum","values":[]})"), "values: empty");
  refused(json::parse(R"({"operation":"sum","values":[1,null]})"), "values[1]: expected a number");
  refused(json::parse(R"({"operation":"dot","values":[1,2],"other":[1]})"),
          "other: has 1 entries, expected 2");
  refused(json::parse(R"({"operation":"histogram","values":[1],"bins":0})"), "bins");
  refused(json::parse(R"({"operation":"histogram","values":[1],"range":[3,1]})"), "range");
  refused(json::parse(R"({"operation":"median","values":[1]})"), "operation: unknown");
  PayloadLimits small;
  small.max_array_length = 3;
  OpResult r = run_generic(json::parse(R"({"operation":"sum","values":[1,2,3,4]})"), small);
  EXPECT_NE(r.error.find("exceed the limit of 3"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace jarvis
