// SIGTERM under a candidate flood (issue 13, item 17): a pool whose
// difficulty makes nearly every nonce a share, and which never answers a
// submit, so the drain waits its whole window. The process must still end
// within the drain window (5 s) plus a second, by the stop path itself
// (exit 0), not by the backstop. The same while a mining worker runs a vgpu
// job of a minute or more: the job is stopped, not waited for.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "tests/stratum/scripted_pool.h"

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using stratum::testing::ScriptedPool;
using testing::DaemonProcess;

constexpr auto kDrain = 5s;

/// Subscribes and authorizes, then sets a difficulty of 1e-12 and sends a
/// job; submits are read and never answered.
std::vector<std::string> flooding_pool(const json& message) {
  const std::string method = message.value("method", "");
  if (method == "mining.subscribe") return {ScriptedPool::subscribe_result(message["id"])};
  if (method == "mining.authorize") {
    return {ScriptedPool::result(message["id"], true),
            json{{"id", nullptr}, {"method", "mining.set_difficulty"}, {"params", {1e-12}}}.dump(),
            ScriptedPool::notify("flood", true)};
  }
  return {};
}

TEST(Shutdown, SigtermEndsTheProcessWithinTheDrainWindowUnderACandidateFlood) {
  ScriptedPool pool(flooding_pool);
  testing::TempDir dir;
  const json config = {
      {"pools",
       {{{"url", "stratum+tcp://127.0.0.1:" + std::to_string(pool.port())}, {"user", "w"}}}},
      {"devices", {{"cpu", {{"threads", 2}}}, {"cuda", {{"enabled", false}}}}},
      {"metrics", {{"listen", "127.0.0.1:0"}}},
  };
  std::ofstream(dir.file("config.json")) << config.dump();
  DaemonProcess daemon({"--config", dir.file("config.json")}, dir.file("out.log"));
  // The flood is on once the submit budget is spent.
  ASSERT_TRUE(daemon.wait_for_log("the rest are held back", 60s)) << daemon.log();
  ASSERT_GT(pool.lines_received(), 50u);

  const auto signalled = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  const auto status = daemon.wait_exit(kDrain + 1s);
  const auto took = std::chrono::steady_clock::now() - signalled;
  ASSERT_TRUE(status) << "still running " << kDrain.count() + 1 << " s after SIGTERM\n"
                      << daemon.log().substr(0, 4000);
  EXPECT_EQ(*status, 0) << daemon.log().substr(0, 4000);
  EXPECT_LE(took, kDrain + 1s);
  // It drained what it could and accounted for every share.
  EXPECT_TRUE(std::regex_search(daemon.log(),
                                std::regex(R"(stopped: \d+ hashes, shares found \d+ = accepted)")))
      << daemon.log().substr(0, 4000);
}

// Answers subscribe and authorize and sends one job at difficulty 1.
std::vector<std::string> quiet_pool(const json& message) {
  const std::string method = message.value("method", "");
  if (method == "mining.subscribe") return {ScriptedPool::subscribe_result(message["id"])};
  if (method == "mining.authorize")
    return {ScriptedPool::result(message["id"], true), ScriptedPool::notify("quiet", true)};
  return {};
}

TEST(Shutdown, SigtermStopsALongVgpuJobInsteadOfWaitingForIt) {
  ScriptedPool pool(quiet_pool);
  testing::TempDir dir;
  constexpr const char* kToken = "a-token-for-the-vgpu-test";
  const json config = {
      {"pools",
       {{{"url", "stratum+tcp://127.0.0.1:" + std::to_string(pool.port())}, {"user", "w"}}}},
      {"devices", {{"cpu", {{"threads", 1}}}, {"cuda", {{"enabled", false}}}}},
      {"api", {{"listen", "127.0.0.1:0"}, {"token", kToken}}},
      {"metrics", {{"listen", "127.0.0.1:0"}}},
  };
  std::ofstream(dir.file("config.json")) << config.dump();
  DaemonProcess daemon({"--config", dir.file("config.json")}, dir.file("out.log"));
  const auto api = daemon.wait_for_log(R"(api: listening on 127\.0\.0\.1:(\d+))", 30s);
  ASSERT_TRUE(api) << daemon.log();
  const auto port = static_cast<uint16_t>(std::stoi(*api));
  // A sweep of 1,000 bindings of a 22-qubit circuit: about a minute of work.
  json bindings = json::array();
  for (int i = 0; i < 1000; ++i) bindings.push_back({{"t", i / 1000.0}});
  const json job = {
      {"kind", "quantum"},
      {"deadline_ms", 600000},
      {"payload",
       {{"qasm",
         "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[22]; h q; rz(t) q; cx q[0], q[21]; h q;"},
        {"parameters", {"t"}},
        {"bindings", bindings},
        {"shots", 1}}}};
  const auto posted = testing::http_request(port, boost::beast::http::verb::post, "/1/vgpu/jobs",
                                            job.dump(), std::string(kToken));
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string id = json::parse(posted.body).at("id");
  ASSERT_TRUE(testing::eventually(
      [&] {
        const auto got = testing::http_request(port, boost::beast::http::verb::get,
                                               "/1/vgpu/jobs/" + id, {}, std::string(kToken));
        return got.body.find("\"running\"") != std::string::npos;
      },
      30s))
      << daemon.log();

  const auto signalled = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  const auto status = daemon.wait_exit(kDrain + 1s);
  const auto took = std::chrono::steady_clock::now() - signalled;
  ASSERT_TRUE(status) << "still running " << kDrain.count() + 1 << " s after SIGTERM\n"
                      << daemon.log().substr(0, 4000);
  EXPECT_EQ(*status, 0) << "the backstop ended it\n" << daemon.log().substr(0, 4000);
  EXPECT_LE(took, kDrain + 1s);
}

}  // namespace
}  // namespace synthminer::daemon
