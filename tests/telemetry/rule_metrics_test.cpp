// tests/telemetry/check_rule_metrics.sh: every metric that
// systemd/prometheus-rules.yml uses is served by a live exposer that has
// seen one event of every kind (or, for the node's and the vgpu service's
// families, documented). Skipped without curl.
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

/// Runs check_rule_metrics.sh RULES SOURCE; its stdout and stderr together.
ScriptRun check_rule_metrics(const std::string& rules, const std::string& source) {
  return test::run_captured(std::string("bash ") + SYNTHMINER_SOURCE_DIR +
                            "/tests/telemetry/check_rule_metrics.sh '" + rules + "' '" + source +
                            "'");
}

const std::string kRules = std::string(SYNTHMINER_SOURCE_DIR) + "/systemd/prometheus-rules.yml";

TEST(RuleMetrics, EveryMetricTheRulesUseIsServedOrDocumented) {
  if (std::system("command -v curl >/dev/null 2>&1") != 0) GTEST_SKIP() << "needs curl";
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto exposer = MetricsExposer::start({.listen = "127.0.0.1:0"}, registry);
  ASSERT_TRUE(exposer) << exposer.error();
  const ScriptRun run = check_rule_metrics(kRules, "http://" + (*exposer)->address() + "/metrics");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ok: synthminer_shares_total (served)"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ok: synthminer_node_template_age_seconds (documented"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ok: all"), std::string::npos) << run.output;
}

TEST(RuleMetrics, FailsOnAMetricThatIsNotServed) {
  const std::string dir = test::make_temp_dir("synthminer-bad-rules");
  std::ofstream(dir + "/rules.yml") << "groups:\n- name: x\n  rules:\n  - alert: X\n"
                                       "    expr: synthminer_hashes_total > 0 and "
                                       "synthminer_pool_up > 0 and synthminer_no_such_total > 0\n";
  std::ofstream(dir + "/metrics.txt") << "# TYPE synthminer_hashes_total counter\n"
                                         "synthminer_hashes_total{device=\"cpu0\"} 1\n";
  const ScriptRun run = check_rule_metrics(dir + "/rules.yml", dir + "/metrics.txt");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("ok: synthminer_hashes_total (served)"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("synthminer_pool_up, which"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("synthminer_no_such_total, which"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace synthminer::telemetry
