// systemd/grafana-dashboard.json: importable, and every metric its queries
// name is served at /metrics once the registry has seen one event of every
// kind.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "telemetry/exposer.h"
#include "tests/telemetry/feed.h"
#include "tests/telemetry/http_get.h"
#include "tests/telemetry/metrics_text.h"
#include "tests/telemetry/promtool.h"

namespace synthminer::telemetry {
namespace {

nlohmann::json load_dashboard() {
  std::ifstream in(std::string(SYNTHMINER_SOURCE_DIR) + "/systemd/grafana-dashboard.json");
  EXPECT_TRUE(in) << "cannot open the dashboard";
  return nlohmann::json::parse(in);
}

void collect_exprs(const nlohmann::json& node, std::vector<std::string>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "expr" && value.is_string()) out.push_back(value.get<std::string>());
      collect_exprs(value, out);
    }
  } else if (node.is_array()) {
    for (const auto& item : node) collect_exprs(item, out);
  }
}

std::set<std::string> metric_names(const std::vector<std::string>& exprs) {
  static const std::regex name("synthminer_[a-z0-9_]+");
  std::set<std::string> out;
  for (const std::string& e : exprs) {
    for (auto it = std::sregex_iterator(e.begin(), e.end(), name); it != std::sregex_iterator();
         ++it) {
      out.insert(it->str());
    }
  }
  return out;
}

/// True when `name` is a family in `families`, or a histogram's (or
/// summary's) _bucket, _sum or _count series.
bool served(const std::string& name, const std::map<std::string, std::string>& families) {
  if (families.count(name)) return true;
  for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const auto it = families.find(name.substr(0, name.size() - suffix.size()));
    if (it == families.end()) continue;
    if (it->second == "histogram" || (it->second == "summary" && suffix != "_bucket")) return true;
  }
  return false;
}

TEST(Dashboard, SuffixesAreStrippedOnlyForHistograms) {
  const std::map<std::string, std::string> families = {{"a_seconds", "histogram"},
                                                       {"b_total", "counter"}};
  EXPECT_TRUE(served("a_seconds_bucket", families));
  EXPECT_TRUE(served("a_seconds_count", families));
  EXPECT_TRUE(served("b_total", families));
  EXPECT_FALSE(served("b_total_count", families));
  EXPECT_FALSE(served("c_bucket", families));
}

TEST(Dashboard, IsAnImportableGrafanaDashboard) {
  const nlohmann::json d = load_dashboard();
  EXPECT_TRUE(d["schemaVersion"].is_number_integer());
  EXPECT_FALSE(d["title"].get<std::string>().empty());
  bool datasource_variable = false;
  for (const auto& v : d["templating"]["list"]) {
    if (v["type"] == "datasource" && v["query"] == "prometheus") datasource_variable = true;
  }
  EXPECT_TRUE(datasource_variable) << "a Prometheus datasource variable";
  std::set<int> ids;
  size_t queried = 0;
  for (const auto& p : d["panels"]) {
    EXPECT_TRUE(ids.insert(p["id"].get<int>()).second) << "duplicate panel id " << p["id"];
    if (p["type"] == "row") continue;
    ASSERT_TRUE(p.contains("targets")) << p["title"];
    EXPECT_EQ(p["datasource"]["uid"], "${datasource}") << p["title"];
    for (const auto& t : p["targets"]) EXPECT_FALSE(t["expr"].get<std::string>().empty());
    ++queried;
  }
  EXPECT_GE(queried, 10u);
}

TEST(Dashboard, CoversTheMetricsItIsFor) {
  std::vector<std::string> exprs;
  collect_exprs(load_dashboard(), exprs);
  const std::set<std::string> names = metric_names(exprs);
  for (const char* wanted :
       {"synthminer_hashrate_hashes_per_second", "synthminer_total_hashrate_hashes_per_second",
        "synthminer_shares_total", "synthminer_shares_rejected_total",
        "synthminer_share_submit_rtt_seconds_bucket",
        "synthminer_job_switch_latency_seconds_bucket", "synthminer_hardware_errors_total",
        "synthminer_pool_up", "synthminer_pool_difficulty",
        "synthminer_batch_duration_seconds_bucket", "synthminer_config_reloads_total"}) {
    EXPECT_TRUE(names.count(wanted)) << "no panel queries " << wanted;
  }
}

TEST(Dashboard, EveryMetricItQueriesIsServed) {
  auto registry = std::make_shared<Registry>();
  test::feed_one_of_everything(*registry);
  auto exposer = MetricsExposer::start({.listen = "127.0.0.1:0"}, registry);
  ASSERT_TRUE(exposer) << exposer.error();
  auto response = test::http_get("127.0.0.1", (*exposer)->port(), "/metrics");
  ASSERT_TRUE(response);
  const auto families = test::families_in(response->body);

  std::vector<std::string> exprs;
  collect_exprs(load_dashboard(), exprs);
  ASSERT_FALSE(exprs.empty());
  const std::set<std::string> names = metric_names(exprs);
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    EXPECT_TRUE(served(name, families))
        << "the dashboard queries " << name << ", which /metrics does not serve";
  }
}

/// Grafana's variables replaced by values PromQL accepts.
std::string without_variables(std::string expr) {
  const std::pair<std::string, std::string> vars[] = {{"$__rate_interval", "1m"},
                                                      {"$instance", ".*"}};
  for (const auto& [var, value] : vars) {
    for (size_t at = expr.find(var); at != std::string::npos; at = expr.find(var, at)) {
      expr.replace(at, var.size(), value);
    }
  }
  return expr;
}

TEST(Dashboard, EveryQueryIsValidPromql) {
  if (!std::filesystem::exists(test::kPromtool)) {
    GTEST_SKIP() << test::kPromtool << " is missing (Debian package prometheus)";
  }
  std::vector<std::string> exprs;
  collect_exprs(load_dashboard(), exprs);
  ASSERT_FALSE(exprs.empty());
  // Each query as a recording rule: `promtool check rules` parses them all.
  nlohmann::json rules = {
      {"groups", {{{"name", "dashboard"}, {"rules", nlohmann::json::array()}}}}};
  for (size_t i = 0; i < exprs.size(); ++i) {
    rules["groups"][0]["rules"].push_back(
        {{"record", "dashboard:query" + std::to_string(i)}, {"expr", without_variables(exprs[i])}});
  }
  const std::string dir = test::make_temp_dir("synthminer-dashboard-rules");
  std::ofstream(dir + "/rules.yml") << rules.dump(2);  // JSON is YAML
  const std::string command = std::string(test::kPromtool) + " check rules '" + dir +
                              "/rules.yml' > '" + dir + "/out.txt' 2>&1";
  const int status = std::system(command.c_str());
  std::ostringstream output;
  output << std::ifstream(dir + "/out.txt").rdbuf();
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output.str();
}

}  // namespace
}  // namespace synthminer::telemetry
