// SIGTERM under a candidate flood (issue 13, item 17): a pool whose
// difficulty makes nearly every nonce a share, and which never answers a
// submit, so the drain waits its whole window. The process must still end
// within the drain window (5 s) plus a second, by the stop path itself
// (exit 0), not by the backstop.
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

}  // namespace
}  // namespace synthminer::daemon
