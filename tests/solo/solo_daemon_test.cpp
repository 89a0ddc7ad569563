// synthminerd itself mining solo: the real process, its scheduler and CPU
// devices, against FakeNode serving templates recorded from Bitcoin Core.
// Every block it sends is judged whole by the fake's check_block; the API
// and /metrics show the node.
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "solo_test_util.h"
#include "tests/daemon/daemon_process.h"
#include "tests/fake_node/fake_node.h"

namespace synthminer::solo {
namespace {

using namespace std::chrono_literals;
using daemon::testing::DaemonProcess;
using daemon::testing::http_request;
using nlohmann::json;
using Verb = boost::beast::http::verb;

TEST(SoloDaemon, MinesBlocksTheNodeAcceptsAndShowsThemInTheApiAndMetrics) {
  fake_node::FakeNode node(fake_node::FakeNodeOptions{.payout_script = testing::payout_script()});
  node.publish_template(testing::recorded("gbt_seq_1.json"));
  node.push_template(testing::recorded("gbt_seq_2.json"));
  node.push_template(testing::recorded("gbt_seq_3.json"));

  daemon::testing::TempDir dir;
  const json config = {
      {"pools",
       {{{"name", "node"},
         {"url", "http://127.0.0.1:" + std::to_string(node.port())},
         {"user", node.user()},
         {"password", node.password()},
         {"coinbase_address", testing::kAddress}}}},
      {"devices", {{"cpu", {{"threads", 1}}}, {"cuda", {{"enabled", false}}}}},
      {"metrics", {{"listen", "127.0.0.1:0"}}},
      {"api", {{"listen", "127.0.0.1:0"}}},
  };
  const std::string path = dir.file("config.json");
  std::ofstream(path) << config.dump(2);
  DaemonProcess daemon({"--config", path}, dir.file("out.log"), {});
  const auto api = daemon.wait_for_log(R"(api: listening on 127\.0\.0\.1:(\d+))", 20s);
  ASSERT_TRUE(api) << daemon.log();
  const auto metrics =
      daemon.wait_for_log(R"(metrics: serving http://127\.0\.0\.1:(\d+)/metrics)", 5s);
  ASSERT_TRUE(metrics) << daemon.log();

  // Three recorded templates, then the fake's own on each new tip.
  ASSERT_TRUE(node.wait_for_submissions(6, 30s)) << daemon.log();
  const auto submissions = node.submissions();
  for (const auto& s : submissions) {
    EXPECT_TRUE(s.check.ok) << s.check.reason << ": " << s.check.detail;
    EXPECT_TRUE(s.answer.is_null()) << s.answer.dump();
  }
  EXPECT_EQ(submissions[0].check.height, 112u);
  EXPECT_EQ(daemon.log().find(node.password()), std::string::npos);

  // The daemon hears the node's verdict a moment after the fake records it,
  // and the new tip's height a moment after that (its next template).
  const auto api_port = static_cast<uint16_t>(std::stoi(*api));
  json body;
  EXPECT_TRUE(daemon::testing::eventually(
      [&] {
        const auto pools = http_request(api_port, Verb::get, "/1/pools");
        if (pools.status != 200) return false;
        body = json::parse(pools.body);
        return body.at("nodes").size() == 1 &&
               body["nodes"][0].at("blocks_accepted").get<uint64_t>() >= 6 &&
               body["nodes"][0].at("height").get<uint64_t>() >= 118;
      },
      5s))
      << body.dump();
  EXPECT_EQ(body["nodes"][0].at("chain"), "regtest");
  EXPECT_GE(body["nodes"][0].at("height").get<uint64_t>(), 118u) << body.dump();

  // The node figures reach the registry with the status line (every 10 s).
  const auto metrics_port = static_cast<uint16_t>(std::stoi(*metrics));
  std::string text;
  EXPECT_TRUE(daemon::testing::eventually(
      [&] {
        text = http_request(metrics_port, Verb::get, "/metrics").body;
        return text.find("synthminer_blocks_accepted_total{pool=\"node\"}") != std::string::npos;
      },
      15s))
      << text;
  EXPECT_NE(text.find("synthminer_node_height{pool=\"node\",chain=\"regtest\"}"), std::string::npos)
      << text;
  EXPECT_NE(daemon.log().find("solo on regtest, height"), std::string::npos) << daemon.log();

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(10s), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("accepted by the node"), std::string::npos);
}

}  // namespace
}  // namespace synthminer::solo
