// tests/telemetry/check_metrics.sh against a live exposer: the same checks
// the lead runs against synthminerd --demo. Skipped without its tools.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "telemetry/exposer.h"
#include "tests/telemetry/feed.h"
#include "tests/telemetry/promtool.h"

namespace synthminer::telemetry {
namespace {

using ScriptRun = test::CheckResult;

/// Runs check_metrics.sh `args`; `env` (e.g. "RULES=x ") goes before it.
ScriptRun run_script(const std::string& args, const std::string& env = {}) {
  return test::run_captured(env + "bash " + SYNTHMINER_SOURCE_DIR +
                            "/tests/telemetry/check_metrics.sh " + args);
}

bool tools_present() {
  return std::system("command -v curl jq python3 >/dev/null 2>&1") == 0 &&
         std::filesystem::exists(test::kPromtool) && std::filesystem::exists(test::kPrometheus);
}

// With RULES, the Prometheus server also evaluates systemd/prometheus-rules.yml
// against the scrape: every rule must evaluate without error.
TEST(CheckMetricsScript, PassesAgainstALiveExposerTheDashboardAndTheRules) {
  if (!tools_present()) GTEST_SKIP() << "needs curl, jq, python3, promtool and prometheus";
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto exposer = MetricsExposer::start({.listen = "127.0.0.1:0"}, registry);
  ASSERT_TRUE(exposer) << exposer.error();
  const std::string url = "http://" + (*exposer)->address() + "/metrics";
  const ScriptRun run = run_script(
      url + " " + SYNTHMINER_SOURCE_DIR + "/systemd/grafana-dashboard.json",
      std::string("RULES='") + SYNTHMINER_SOURCE_DIR + "/systemd/prometheus-rules.yml' ");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ok: Prometheus evaluated all 13 rules"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ok: promtool"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("ok: Prometheus scraped"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("ok: all"), std::string::npos) << run.output;
}

TEST(CheckMetricsScript, FailsWhenTheDashboardNamesAMissingMetric) {
  if (!tools_present()) GTEST_SKIP() << "needs curl, jq, python3, promtool and prometheus";
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto exposer = MetricsExposer::start({.listen = "127.0.0.1:0"}, registry);
  ASSERT_TRUE(exposer) << exposer.error();
  const std::string dir = test::make_temp_dir("synthminer-bad-dashboard");
  std::ofstream(dir + "/d.json")
      << R"json({"panels":[{"targets":[{"expr":"rate(synthminer_no_such_metric_total[5m])"}]}]})json";
  const ScriptRun run =
      run_script("http://" + (*exposer)->address() + "/metrics " + dir + "/d.json");
  std::filesystem::remove_all(dir);
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("synthminer_no_such_metric_total"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace synthminer::telemetry
