// Refused API requests (issue 13, items 13 and 18): each is counted in
// /metrics by kind, and a flood of them is logged a few lines at a time,
// then summarised with a count.
#include "api/refusals.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/common/count_substrings.h"
#include "tests/stratum/log_capture.h"

namespace synthminer::api {
namespace {

using synthminer::testing::count_substrings;
using namespace std::chrono_literals;

double refused(const telemetry::Registry& registry, const std::string& reason) {
  for (const auto& family : registry.snapshot().families) {
    if (family.name != "synthminer_api_refused_total") continue;
    for (const auto& [labels, value] : family.series)
      if (labels == std::vector<std::string>{reason}) return value;
  }
  return 0;
}

TEST(ApiRefusals, AFloodOfBadTokensGivesABoundedNumberOfLinesAndACount) {
  stratum::testing::LogCapture capture;
  telemetry::Registry registry;
  auto now = common::LogThrottle::Clock::time_point{} + 1h;
  ApiRefusals refusals(registry, [&] { return now; });
  const http::RefusalRecord bad_token{http::Refusal::kBadToken, "10.0.0.7", "/1/pause", 401};
  for (int i = 0; i < 1000; ++i) refusals.record(bad_token);
  const size_t flood_lines = count_substrings(capture.text(), "api: refused bad_token (401)");
  EXPECT_GE(flood_lines, 1u);
  EXPECT_LE(flood_lines, 5u);
  EXPECT_EQ(refused(registry, "bad_token"), 1000);

  now += 2s;
  refusals.record(bad_token);
  EXPECT_TRUE(capture.contains("(and " + std::to_string(1000 - flood_lines) + " more like it"))
      << capture.text();
  EXPECT_EQ(refused(registry, "bad_token"), 1001);
}

TEST(ApiRefusals, EachKindHasItsOwnBudgetAndClientTextIsPrintable) {
  stratum::testing::LogCapture capture;
  telemetry::Registry registry;
  auto now = common::LogThrottle::Clock::time_point{} + 1h;
  ApiRefusals refusals(registry, [&] { return now; });
  for (int i = 0; i < 100; ++i) {
    refusals.record({http::Refusal::kBadToken, "10.0.0.7", "/1/pause", 401});
  }
  refusals.record({http::Refusal::kHeaderTimeout, "10.0.0.8", "", 0});
  refusals.record({http::Refusal::kBadRequest, "10.0.0.9", "/x\n<3>forged\x1b[2J", 404});
  EXPECT_TRUE(capture.contains("api: refused header_timeout (dropped) from 10.0.0.8"))
      << capture.text();
  EXPECT_TRUE(capture.contains("/x\\n<3>forged\\x1b[2J")) << capture.text();
  EXPECT_EQ(refused(registry, "header_timeout"), 1);
  EXPECT_EQ(refused(registry, "bad_request"), 1);
}

}  // namespace
}  // namespace synthminer::api
