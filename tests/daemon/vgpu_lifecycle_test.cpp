// The daemon's stop and reload while a mining worker runs a long vgpu job
// (a sweep of 1,000 bindings of a 22-qubit circuit: a minute or more of
// work). SIGTERM stops the job instead of waiting for it, so the process
// ends by its own stop path (exit 0) within the drain window plus a second,
// not by the backstop. A reload that restarts the workers preempts the job:
// the reload is applied at once and the job runs again on the new workers.
// A step no token can stop (an SVD with vectors of a 2048 x 2048 tensor,
// about 7 s on one core here) does not hold the stop either.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <vector>

#include "vgpu/tensor/npy_codec.h"

#include "daemon_process.h"
#include "tests/stratum/scripted_pool.h"

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using stratum::testing::ScriptedPool;
using testing::DaemonProcess;
using Verb = boost::beast::http::verb;

constexpr auto kDrain = 5s;
constexpr const char* kToken = "a-token-for-the-vgpu-test";

// Answers subscribe and authorize and sends one job.
std::vector<std::string> quiet_pool(const json& message) {
  const std::string method = message.value("method", "");
  if (method == "mining.subscribe") return {ScriptedPool::subscribe_result(message["id"])};
  if (method == "mining.authorize")
    return {ScriptedPool::result(message["id"], true), ScriptedPool::notify("quiet", true)};
  return {};
}

json config_for(const ScriptedPool& pool, int threads) {
  return {
      {"pools",
       {{{"url", "stratum+tcp://127.0.0.1:" + std::to_string(pool.port())}, {"user", "w"}}}},
      {"devices", {{"cpu", {{"threads", threads}}}, {"cuda", {{"enabled", false}}}}},
      {"api", {{"listen", "127.0.0.1:0"}, {"token", kToken}}},
      {"metrics", {{"listen", "127.0.0.1:0"}}},
  };
}

// The daemon with its API port, and a job of its once it runs.
class DaemonWithJob : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.file("config.json")) << config_for(pool_, 1).dump();
    daemon_.emplace(std::vector<std::string>{"--config", dir_.file("config.json")},
                    dir_.file("out.log"));
    const auto api = daemon_->wait_for_log(R"(api: listening on 127\.0\.0\.1:(\d+))", 30s);
    ASSERT_TRUE(api) << daemon_->log();
    port_ = static_cast<uint16_t>(std::stoi(*api));
  }

  // Posts `job` and waits until a worker runs it.
  void start_job(const json& job) {
    const auto posted = request(Verb::post, "/1/vgpu/jobs", job.dump());
    ASSERT_EQ(posted.status, 202) << posted.body;
    id_ = json::parse(posted.body).at("id");
    ASSERT_TRUE(testing::eventually([&] { return state() == "running"; }, 30s)) << daemon_->log();
  }
  testing::HttpReply request(Verb verb, const std::string& target, const std::string& body = {}) {
    return testing::http_request(port_, verb, target, body, std::string(kToken));
  }
  std::string state() {
    const auto got = request(Verb::get, "/1/vgpu/jobs/" + id_);
    if (got.status != 200) return "";
    return json::parse(got.body).value("state", "");
  }
  // SIGTERM, then the exit status within the drain window plus a second.
  void expect_a_clean_stop() {
    const auto signalled = std::chrono::steady_clock::now();
    daemon_->signal(SIGTERM);
    const auto status = daemon_->wait_exit(kDrain + 1s);
    const auto took = std::chrono::steady_clock::now() - signalled;
    ASSERT_TRUE(status) << "still running " << kDrain.count() + 1 << " s after SIGTERM\n"
                        << daemon_->log().substr(0, 4000);
    EXPECT_EQ(*status, 0) << "the backstop ended it\n" << daemon_->log().substr(0, 4000);
    EXPECT_LE(took, kDrain + 1s);
  }

  ScriptedPool pool_{quiet_pool};
  testing::TempDir dir_;
  std::optional<DaemonProcess> daemon_;
  uint16_t port_ = 0;
  std::string id_;
};

// A sweep of 1,000 bindings of a 22-qubit circuit, running.
class LongJob : public DaemonWithJob {
 protected:
  void SetUp() override {
    DaemonWithJob::SetUp();
    if (HasFatalFailure()) return;
    json bindings = json::array();
    for (int i = 0; i < 1000; ++i) bindings.push_back({{"t", i / 1000.0}});
    start_job({{"kind", "quantum"},
               {"deadline_ms", 600000},
               {"payload",
                {{"qasm",
                  "OPENQASM 2.0; include \"qelib1.inc\"; qreg q[22]; h q; rz(t) q; cx q[0], "
                  "q[21]; h q;"},
                 {"parameters", {"t"}},
                 {"bindings", bindings},
                 {"shots", 1}}}});
  }
};

using LongSvd = DaemonWithJob;

TEST_F(LongJob, SigtermStopsItInsteadOfWaitingForIt) {
  expect_a_clean_stop();
}

TEST_F(LongJob, AReloadThatRestartsTheWorkersPreemptsItAndRunsItAgain) {
  std::ofstream(dir_.file("config.json")) << config_for(pool_, 2).dump();
  daemon_->signal(SIGHUP);
  // Applied at once, not after the job: the io thread was not held.
  EXPECT_TRUE(daemon_->wait_for_log(R"(reload: 2 device worker\(s\) restarted)", 10s))
      << daemon_->log().substr(0, 4000);
  const auto metrics = daemon_->wait_for_log(R"(metrics: serving http://127\.0\.0\.1:(\d+)/)", 1s);
  ASSERT_TRUE(metrics) << daemon_->log();
  const auto port = static_cast<uint16_t>(std::stoi(*metrics));
  EXPECT_TRUE(testing::eventually(
      [&] {
        const auto scraped = testing::http_request(port, Verb::get, "/metrics");
        return scraped.body.find(
                   "synthminer_vgpu_tasks_interrupted_total{reason=\"preempted\"} 1") !=
               std::string::npos;
      },
      10s));
  // Queued again and taken by a new worker: the job goes on.
  EXPECT_EQ(state(), "running");
  expect_a_clean_stop();
}

TEST_F(LongSvd, SigtermDoesNotWaitForAStepNoTokenCanStop) {
  constexpr uint64_t kDim = 2048;
  std::vector<double> values(kDim * kDim);
  std::mt19937_64 rng(18);
  std::normal_distribution<double> normal;
  for (double& v : values) v = normal(rng);
  const std::string npy = jarvis::encode_npy(jarvis::Dtype::kFloat64, {kDim, kDim}, values.data(),
                                             values.size() * sizeof(double))
                              .bytes;
  const auto uploaded = request(Verb::post, "/1/vgpu/tensors", npy);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  start_job({{"kind", "linalg"},
             {"deadline_ms", 600000},
             {"payload",
              {{"operation", "svd"},
               {"matrix", {{"tensor", json::parse(uploaded.body).at("id")}}},
               {"vectors", true}}}});
  if (HasFatalFailure()) return;
  expect_a_clean_stop();
}

}  // namespace
}  // namespace synthminer::daemon
