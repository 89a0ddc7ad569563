#include "telemetry/exposer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "telemetry/prometheus_render.h"
#include "tests/telemetry/feed.h"
#include "tests/telemetry/http_get.h"
#include "tests/telemetry/metrics_text.h"
#include "tests/telemetry/promtool.h"

namespace synthminer::telemetry {
namespace {

using test::ShareOutcome;

using test::families_in;
using test::sample_value;

TEST(ListenAddress, ParsesIpv4AndIpv6) {
  auto v4 = parse_listen_address("127.0.0.1:9464");
  ASSERT_TRUE(v4) << v4.error();
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9464);
  EXPECT_EQ(v4->to_string(), "127.0.0.1:9464");
  auto v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_TRUE(v6->ipv6);
  EXPECT_EQ(v6->to_string(), "[::1]:0");
  for (const char* bad : {"", "127.0.0.1", "localhost:9464", "127.0.0.1:65536", "127.0.0.1:x",
                          "[::1]9464", "::1:9464", "1.2.3:80", "127.0.0.1:"}) {
    auto r = parse_listen_address(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_NE(r.error().find(std::string("'") + bad + "'"), std::string::npos) << r.error();
    }
  }
}

TEST(ExposerOptions, DefaultIsLoopback9464) {
  const ExposerOptions options;
  EXPECT_EQ(options.listen, "127.0.0.1:9464");
}

class ExposerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    owners_ = test::feed_one_of_everything(*registry_);
    auto started = MetricsExposer::start({.listen = "127.0.0.1:0"}, registry_);
    ASSERT_TRUE(started) << started.error();
    exposer_ = std::move(started).value();
  }

  std::string scrape() {
    std::string error;
    auto response =
        test::http_get("127.0.0.1", exposer_->port(), "/metrics", std::chrono::seconds(5), &error);
    if (!response) {
      ADD_FAILURE() << "GET /metrics: " << error;
      return {};
    }
    EXPECT_EQ(response->status, 200u);
    EXPECT_NE(response->content_type.find("text/plain"), std::string::npos);
    return response->body;
  }

  std::shared_ptr<Registry> registry_ = std::make_shared<Registry>();
  std::shared_ptr<test::FakeOwners> owners_;
  std::unique_ptr<MetricsExposer> exposer_;
};

TEST_F(ExposerTest, ServesEveryFamilyOverARealSocket) {
  ASSERT_NE(exposer_->port(), 0);
  EXPECT_EQ(exposer_->address(), "127.0.0.1:" + std::to_string(exposer_->port()));
  const std::string body = scrape();
  const auto families = families_in(body);
  const std::map<std::string, std::string> expected = {
      {"synthminer_build_info", "gauge"},
      {"synthminer_uptime_seconds", "gauge"},
      {"synthminer_hashes_total", "counter"},
      {"synthminer_hashrate_hashes_per_second", "gauge"},
      {"synthminer_total_hashrate_hashes_per_second", "gauge"},
      {"synthminer_hardware_errors_total", "counter"},
      {"synthminer_batches_total", "counter"},
      {"synthminer_batch_duration_seconds", "histogram"},
      {"synthminer_batch_nonces", "gauge"},
      {"synthminer_shares_total", "counter"},
      {"synthminer_shares_rejected_total", "counter"},
      {"synthminer_shares_stale_total", "counter"},
      {"synthminer_accepted_difficulty_total", "counter"},
      {"synthminer_share_submit_rtt_seconds", "histogram"},
      {"synthminer_job_switch_latency_seconds", "histogram"},
      {"synthminer_pool_up", "gauge"},
      {"synthminer_pool_difficulty", "gauge"},
      {"synthminer_config_reloads_total", "counter"},
      {"synthminer_vgpu_operations_total", "counter"},
      {"synthminer_vgpu_cache_hits_total", "counter"},
      {"synthminer_vgpu_cache_misses_total", "counter"},
  };
  for (const auto& [name, type] : expected) {
    ASSERT_TRUE(families.count(name)) << name << " missing from:\n" << body;
    EXPECT_EQ(families.at(name), type) << name;
  }
  EXPECT_EQ(sample_value(body, R"(synthminer_hashes_total{device="cpu0"})"), 1e6);
  EXPECT_EQ(sample_value(body, R"(synthminer_shares_total{pool="main",result="accepted"})"), 1);
  EXPECT_EQ(sample_value(
                body, R"(synthminer_shares_rejected_total{pool="main",reason="duplicate_share"})"),
            1);
  EXPECT_EQ(sample_value(body, R"(synthminer_config_reloads_total{result="failure"})"), 1);
  EXPECT_EQ(sample_value(body, R"(synthminer_batches_total{device="cpu0",result="complete"})"), 1);
  EXPECT_EQ(sample_value(body, R"(synthminer_batches_total{device="cpu0",result="abandoned"})"), 0);
  EXPECT_EQ(sample_value(body, R"(synthminer_pool_up{pool="main"})"), 1);
  EXPECT_EQ(
      sample_value(body, R"(synthminer_share_submit_rtt_seconds_bucket{pool="main",le="0.05"})"),
      1);
  EXPECT_EQ(
      sample_value(body, R"(synthminer_share_submit_rtt_seconds_bucket{pool="main",le="0.025"})"),
      0);
  EXPECT_EQ(
      sample_value(body, R"(synthminer_share_submit_rtt_seconds_bucket{pool="main",le="+Inf"})"),
      1);
  // No window has history yet: the hashrate families carry no series.
  EXPECT_EQ(body.find("synthminer_hashrate_hashes_per_second{"), std::string::npos);
  // Later events show on the next scrape: the registry is read live.
  owners_->share_result("main", ShareOutcome::kAccepted, 1024);
  EXPECT_EQ(sample_value(scrape(), R"(synthminer_shares_total{pool="main",result="accepted"})"), 2);
}

TEST_F(ExposerTest, PoolNamesAreEscapedAndStable) {
  registry_->pool_connection("we\"ird\\pool", true);
  const std::string body = scrape();
  EXPECT_EQ(sample_value(body, R"(synthminer_pool_up{pool="we\"ird\\pool"})"), 1) << body;
  // All three results exist for every pool from its first event on.
  for (const char* result : {"accepted", "rejected", "stale"}) {
    EXPECT_EQ(
        sample_value(body, std::string(R"(synthminer_shares_total{pool="we\"ird\\pool",result=")") +
                               result + "\"}"),
        0)
        << result;
  }
}

TEST_F(ExposerTest, PromtoolAcceptsTheOutput) {
  if (!std::filesystem::exists(test::kPromtool)) {
    GTEST_SKIP() << test::kPromtool << " is missing (Debian package prometheus)";
  }
  registry_->pool_connection("we\"ird\\pool\nname", true);
  owners_->share_result("we\"ird\\pool\nname", ShareOutcome::kRejected, 1, "Bad nonce\x01\xff");
  const std::string body = scrape();
  const test::CheckResult check = test::promtool_check_metrics(body);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << body;
  EXPECT_EQ(check.output, "") << "promtool lint findings";
}

TEST_F(ExposerTest, SecondBindOnTheSamePortIsAnErrorValue) {
  const std::string taken = "127.0.0.1:" + std::to_string(exposer_->port());
  auto second = MetricsExposer::start({.listen = taken}, registry_);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().find(taken), std::string::npos) << second.error();
  auto bad = MetricsExposer::start({.listen = "not-an-address"}, registry_);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("not-an-address"), std::string::npos) << bad.error();
}

TEST(Exposer, Ipv6WildcardServesAndOtherIpv6AddressesAreRefused) {
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto loopback6 = MetricsExposer::start({.listen = "[::1]:0"}, registry);
  ASSERT_FALSE(loopback6);
  EXPECT_NE(loopback6.error().find("[::1]:0"), std::string::npos) << loopback6.error();
  auto any = MetricsExposer::start({.listen = "[::]:0"}, registry);
  if (!any) GTEST_SKIP() << "no IPv6 here: " << any.error();
  EXPECT_EQ((*any)->address(), "[::]:" + std::to_string((*any)->port()));
  auto response = test::http_get("127.0.0.1", (*any)->port(), "/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200u);
  (*any)->stop();
}

TEST(Exposer, APasswordRequiresBasicAuth) {
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto exposer = MetricsExposer::start(
      {.listen = "127.0.0.1:0", .password = std::string("s3cret-token-1234")}, registry);
  ASSERT_TRUE(exposer) << exposer.error();
  const uint16_t port = (*exposer)->port();
  const auto none = test::http_get("127.0.0.1", port, "/metrics");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401u);
  // "prometheus:wrong" and "prometheus:s3cret-token-1234" in base64.
  const auto wrong = test::http_get("127.0.0.1", port, "/metrics", std::chrono::seconds(5), nullptr,
                                    "Basic cHJvbWV0aGV1czp3cm9uZw==");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401u);
  const auto right = test::http_get("127.0.0.1", port, "/metrics", std::chrono::seconds(5), nullptr,
                                    "Basic cHJvbWV0aGV1czpzM2NyZXQtdG9rZW4tMTIzNA==");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200u);
  EXPECT_NE(right->body.find("synthminer_hashes_total"), std::string::npos);
}

TEST(Exposer, ARotatedPasswordAppliesAtOnce) {
  auto registry = std::make_shared<Registry>();
  auto exposer = MetricsExposer::start(
      {.listen = "127.0.0.1:0", .password = std::string("s3cret-token-1234")}, registry);
  ASSERT_TRUE(exposer) << exposer.error();
  const uint16_t port = (*exposer)->port();
  (*exposer)->set_password("n3w-secret-token-5678");
  // "prometheus:s3cret-token-1234" and "prometheus:n3w-secret-token-5678" in base64.
  const auto old = test::http_get("127.0.0.1", port, "/metrics", std::chrono::seconds(5), nullptr,
                                  "Basic cHJvbWV0aGV1czpzM2NyZXQtdG9rZW4tMTIzNA==");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 401u);
  const auto fresh = test::http_get("127.0.0.1", port, "/metrics", std::chrono::seconds(5), nullptr,
                                    "Basic cHJvbWV0aGV1czpuM3ctc2VjcmV0LXRva2VuLTU2Nzg=");
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->status, 200u);
}

TEST_F(ExposerTest, StopClosesTheListenerAndIsIdempotent) {
  const uint16_t port = exposer_->port();
  exposer_->stop();
  exposer_->stop();
  EXPECT_FALSE(test::http_get("127.0.0.1", port, "/metrics", std::chrono::seconds(2)));
  // The port can be bound again.
  auto again = MetricsExposer::start({.listen = "127.0.0.1:" + std::to_string(port)}, registry_);
  ASSERT_TRUE(again) << again.error();
  EXPECT_TRUE(test::http_get("127.0.0.1", port, "/metrics"));
}

TEST_F(ExposerTest, ScrapesWhileTheRegistryIsFedSeeCountersOnlyGrow) {
  std::atomic<bool> stop{false};
  std::thread feeder([&] {
    while (!stop.load()) {
      registry_->batch_finished("cpu1", {.hashes = 1000, .seconds = 0.001, .nonces = 1000});
      owners_->share_result("main", ShareOutcome::kAccepted, 1);
    }
  });
  double last_hashes = 0;
  double last_accepted = 0;
  for (int i = 0; i < 20; ++i) {
    const std::string body = scrape();
    const auto hashes = sample_value(body, R"(synthminer_hashes_total{device="cpu1"})");
    const auto accepted =
        sample_value(body, R"(synthminer_shares_total{pool="main",result="accepted"})");
    if (!hashes || !accepted) continue;  // before cpu1's first batch
    EXPECT_GE(*hashes, last_hashes);
    EXPECT_GE(*accepted, last_accepted);
    last_hashes = *hashes;
    last_accepted = *accepted;
  }
  stop = true;
  feeder.join();
  EXPECT_GT(last_hashes, 0);
}

TEST(PrometheusText, MatchesWhatTheExposerRenders) {
  Registry registry;
  test::feed_one_of_everything(registry);
  const std::string text = prometheus_text(registry);
  EXPECT_EQ(sample_value(text, R"(synthminer_vgpu_operations_total{kind="matmul"})"), 1);
  EXPECT_EQ(sample_value(text, R"(synthminer_batch_nonces{device="cpu0"})"), 1 << 20);
  EXPECT_EQ(
      sample_value(text, R"(synthminer_build_info{commit="0123456789ab",version="0.1.0-test"})"),
      1);
}

}  // namespace
}  // namespace synthminer::telemetry
