// A real Prometheus server scrapes the exposer and answers a query for
// synthminer_hashes_total. Skipped when /usr/bin/prometheus is missing.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "telemetry/exposer.h"
#include "tests/telemetry/feed.h"
#include "tests/telemetry/prometheus_server.h"
#include "tests/telemetry/promtool.h"

namespace synthminer::telemetry {
namespace {

TEST(PrometheusServer, ScrapesTheExposerAndAnswersAQuery) {
  if (!std::filesystem::exists(test::kPrometheus)) {
    GTEST_SKIP() << test::kPrometheus << " is missing (Debian package prometheus)";
  }
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto exposer = MetricsExposer::start({.listen = "127.0.0.1:0"}, registry);
  ASSERT_TRUE(exposer) << exposer.error();

  std::string error;
  auto server = test::PrometheusServer::start((*exposer)->address(), &error);
  ASSERT_TRUE(server) << error;

  // A deadline, not a timing assertion: Prometheus needs a moment to start
  // and scrapes once a second.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::optional<double> hashes;
  while (std::chrono::steady_clock::now() < deadline) {
    hashes = server->query_value("sum(synthminer_hashes_total)");
    if (hashes && *hashes > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(hashes) << "no answer within 30 s; Prometheus log:\n" << server->log();
  EXPECT_EQ(*hashes, 1e6);
  // The scrape itself was healthy, and a labelled series came through intact.
  EXPECT_EQ(server->query_value("up{job=\"synthminer\"}"), 1.0);
  EXPECT_EQ(server->query_value("synthminer_shares_total{pool=\"main\",result=\"accepted\"}"), 1.0);
}

}  // namespace
}  // namespace synthminer::telemetry
