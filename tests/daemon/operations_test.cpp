// synthminerd run the way the operations issue describes: a real process
// mining against DemoPool, its JSON API with the token rules, its
// /metrics checked by promtool and scraped by a real Prometheus, SIGHUP
// reloads (valid, invalid, repeated under load) and the sd_notify messages
// systemd would see, in order.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "daemon_process.h"
#include "demo_pool/demo_pool.h"

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;
using testing::http_request;
using Verb = boost::beast::http::verb;

constexpr const char* kToken = "test-token-0123456789";
constexpr const char* kPassword = "pool-secret-pass";

std::string config_text(uint16_t pool_port, const std::string& level, unsigned threads,
                        bool second_pool = false, const json& vgpu = json::object()) {
  json pools = json::array();
  pools.push_back({{"name", "demo"},
                   {"url", "stratum+tcp://127.0.0.1:" + std::to_string(pool_port)},
                   {"user", "test.worker"},
                   {"password", kPassword}});
  if (second_pool) {
    pools.push_back(
        {{"name", "spare"}, {"url", "stratum+tcp://127.0.0.1:9"}, {"user", "test.worker"}});
  }
  json config = {
      {"pools", pools},
      {"stratum", {{"backoff_initial_seconds", 0.05}, {"backoff_max_seconds", 0.2}}},
      {"devices", {{"cpu", {{"threads", threads}}}, {"cuda", {{"enabled", false}}}}},
      {"logging", {{"level", level}}},
      {"metrics", {{"listen", "127.0.0.1:0"}}},
      {"api", {{"listen", "127.0.0.1:0"}, {"token", kToken}}},
      {"vgpu", vgpu},
  };
  return config.dump(2);
}

class Operations : public ::testing::Test {
 protected:
  void SetUp() override {
    demo_pool::DemoPoolOptions o;
    o.zero_bits = 20;
    o.job_interval = 0ms;
    pool = std::make_unique<demo_pool::DemoPool>(o);
    const auto port = pool->start();
    ASSERT_TRUE(port) << port.error();
    pool_port = *port;
  }
  void write_config(const std::string& text) {
    // Written aside and renamed, as an editor or a config manager would.
    std::ofstream(config + ".new") << text;
    std::rename((config + ".new").c_str(), config.c_str());
  }
  /// Mines with the config (against the fixture's pool), or with
  /// `demo_mode` runs `--demo --config` (the demo's own pool, the file's
  /// metrics and API settings) with a file that has no "pools" section.
  /// `token` false: the file sets no api.token.
  void start_daemon(bool demo_mode = false, const json& vgpu = json::object(), bool token = true) {
    json file = json::parse(config_text(pool_port, "info", 1, false, vgpu));
    if (demo_mode) file.erase("pools");
    if (!token) file["api"].erase("token");
    write_config(file.dump(2));
    std::vector<std::string> args{"--config", config};
    if (demo_mode) args = {"--demo", "--config", config, "--jobs", "1", "--duration", "60"};
    daemon = std::make_unique<DaemonProcess>(
        std::move(args), dir.file("out.log"),
        std::vector<std::pair<std::string, std::string>>{{"NOTIFY_SOCKET", notify.path()},
                                                         {"WATCHDOG_USEC", "400000"}});
    const auto api = daemon->wait_for_log(R"(api: listening on 127\.0\.0\.1:(\d+))", 20s);
    ASSERT_TRUE(api) << daemon->log();
    api_port = static_cast<uint16_t>(std::stoi(*api));
    const auto metrics = daemon->wait_for_log(R"(metrics: serving (http://\S+/metrics))", 5s);
    ASSERT_TRUE(metrics) << daemon->log();
    metrics_url = *metrics;
  }
  // True once the daemon has counted a finished batch.
  bool hashes_reported() {
    return testing::eventually(
        [&] {
          const auto reply = http_request(api_port, Verb::get, "/1/summary");
          return reply.status == 200 && json::parse(reply.body).value("hashes", 0) > 0;
        },
        10s);
  }
  void TearDown() override {
    if (daemon && daemon->running()) {
      daemon->signal(SIGINT);
      daemon->wait_exit(15s);
    }
    if (pool) pool->stop();
  }

  testing::TempDir dir;
  std::string config = dir.file("config.json");
  testing::NotifySocket notify{dir.file("notify.sock")};
  std::unique_ptr<demo_pool::DemoPool> pool;
  uint16_t pool_port = 0;
  std::unique_ptr<DaemonProcess> daemon;
  uint16_t api_port = 0;
  std::string metrics_url;
};

TEST_F(Operations, ApiEndpointsAndTheirAuth) {
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  ASSERT_TRUE(pool->wait_for_shares(1, 20s)) << daemon->log();
  ASSERT_TRUE(hashes_reported());

  // Reads on loopback need no token.
  auto summary = http_request(api_port, Verb::get, "/1/summary");
  ASSERT_EQ(summary.status, 200) << summary.body;
  const json s = json::parse(summary.body);
  EXPECT_GT(s.at("hashes").get<uint64_t>(), 0u) << summary.body;
  EXPECT_EQ(s.at("paused"), false);
  const auto devices = http_request(api_port, Verb::get, "/1/devices");
  ASSERT_EQ(devices.status, 200);
  EXPECT_EQ(json::parse(devices.body).at("devices").at(0).at("name"), "cpu_0") << devices.body;
  const auto pools = http_request(api_port, Verb::get, "/1/pools");
  ASSERT_EQ(pools.status, 200);
  EXPECT_EQ(json::parse(pools.body).at("active"), "demo") << pools.body;

  // Writes need the token: none, a wrong one, the right one.
  EXPECT_EQ(http_request(api_port, Verb::post, "/1/pause").status, 401);
  EXPECT_EQ(
      http_request(api_port, Verb::post, "/1/pause", "", std::string("wrong-token-000000")).status,
      401);
  const auto paused = http_request(api_port, Verb::post, "/1/pause", "", std::string(kToken));
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(json::parse(http_request(api_port, Verb::get, "/1/summary").body).at("paused"), true);
  EXPECT_EQ(http_request(api_port, Verb::post, "/1/resume", "", std::string(kToken)).status, 200);

  // Bad requests name the reason.
  const auto bad_pool =
      http_request(api_port, Verb::post, "/1/pools/switch", R"({"pool": 7})", std::string(kToken));
  EXPECT_EQ(bad_pool.status, 400);
  EXPECT_NE(json::parse(bad_pool.body).at("error").get<std::string>().find("pool"),
            std::string::npos);
  const auto bad_json =
      http_request(api_port, Verb::post, "/1/pools/switch", "{nope", std::string(kToken));
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_TRUE(json::parse(bad_json.body).contains("error"));
  EXPECT_EQ(http_request(api_port, Verb::get, "/1/nothing").status, 404);
  const auto huge = http_request(api_port, Verb::post, "/1/pools/switch",
                                 std::string(200 * 1024, ' '), std::string(kToken));
  EXPECT_EQ(huge.status, 413);
  const auto same_pool = http_request(api_port, Verb::post, "/1/pools/switch",
                                      R"({"pool": "demo"})", std::string(kToken));
  EXPECT_EQ(same_pool.status, 200) << same_pool.body;
}

TEST_F(Operations, VgpuRequestsRunOnTheWorkersAheadOfMining) {
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  ASSERT_TRUE(pool->wait_for_shares(1, 20s)) << daemon->log();
  const std::string seed_example =
      R"({"kind": "linalg", "signature": "matmul_demo",
          "payload": {"matrix": [1.0, 2.0], "vector": [3.0, 4.0], "operation": "matmul"}})";
  EXPECT_EQ(http_request(api_port, Verb::post, "/1/vgpu/submit", seed_example).status, 401);
  const auto first =
      http_request(api_port, Verb::post, "/1/vgpu/submit", seed_example, std::string(kToken));
  ASSERT_EQ(first.status, 200) << first.body;
  const json answer = json::parse(first.body);
  EXPECT_EQ(answer.at("result").at("value"), json::array({11.0})) << first.body;
  EXPECT_EQ(answer.at("cached"), false);
  const auto again =
      http_request(api_port, Verb::post, "/1/vgpu/submit", seed_example, std::string(kToken));
  EXPECT_EQ(json::parse(again.body).at("cached"), true) << again.body;

  // Bad payloads are refused with 422, the field and the reason.
  const auto ragged = http_request(
      api_port, Verb::post, "/1/vgpu/submit",
      R"({"kind": "linalg", "payload": {"matrix": [[1, 2], [3]], "vector": [1, 2], "operation": "matvec"}})",
      std::string(kToken));
  EXPECT_EQ(ragged.status, 422);
  EXPECT_NE(json::parse(ragged.body).at("error").get<std::string>().find("matrix"),
            std::string::npos)
      << ragged.body;
  // Nested 200,000 deep (it crashed the daemon when the cache key was
  // dumped): refused before it is parsed, and the daemon answers on.
  const std::string nested = R"({"kind": "generic", "signature": "deep", "payload": {"data": )" +
                             std::string(200000, '[') + std::string(200000, ']') + "}}";
  const auto deep =
      http_request(api_port, Verb::post, "/1/vgpu/submit", nested, std::string(kToken));
  EXPECT_EQ(deep.status, 413);
  EXPECT_NE(deep.body.find("deeper than 64"), std::string::npos) << deep.body;
  const auto no_kind = http_request(api_port, Verb::post, "/1/vgpu/submit", R"({"payload": {}})",
                                    std::string(kToken));
  EXPECT_EQ(no_kind.status, 422);
  EXPECT_NE(json::parse(no_kind.body).at("error").get<std::string>().find("kind"),
            std::string::npos);
  EXPECT_EQ(
      testing::http_status_for_announced_body(api_port, "/1/vgpu/submit", 9 * 1024 * 1024, kToken),
      413);

  const auto stats = http_request(api_port, Verb::get, "/1/vgpu/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_NE(stats.body.find("cache"), std::string::npos) << stats.body;
  // Mining went on around the requests.
  const size_t shares = pool->counts().accepted;
  EXPECT_TRUE(pool->wait_for_shares(shares + 1, 20s));
}

TEST_F(Operations, VgpuLimitsComeFromTheConfig) {
  ASSERT_NO_FATAL_FAILURE(start_daemon(false, {{"max_qubits", 10}, {"max_queued", 4}}));
  const auto big = http_request(
      api_port, Verb::post, "/1/vgpu/submit",
      R"({"kind": "quantum", "payload": {"qubits": 12, "gates": [{"op": "h", "q": 0}]}})",
      std::string(kToken));
  EXPECT_EQ(big.status, 422) << big.body;
  EXPECT_NE(json::parse(big.body).at("error").get<std::string>().find("qubits"), std::string::npos)
      << big.body;
  const auto small = http_request(
      api_port, Verb::post, "/1/vgpu/submit",
      R"({"kind": "quantum", "payload": {"qubits": 2, "gates": [{"op": "h", "q": 0}, {"op": "cx", "c": 0, "t": 1}], "shots": 64, "seed": 1}})",
      std::string(kToken));
  ASSERT_EQ(small.status, 200) << small.body;
  const json probabilities = json::parse(small.body).at("result").at("probabilities");
  EXPECT_NEAR(probabilities.at("00").get<double>(), 0.5, 1e-12) << small.body;
  EXPECT_NEAR(probabilities.at("11").get<double>(), 0.5, 1e-12) << small.body;
  // The cluster's devices, measured: here the host CPU alone (no GPU).
  const auto stats = http_request(api_port, Verb::get, "/1/vgpu/stats");
  ASSERT_EQ(stats.status, 200);
  const json devices = json::parse(stats.body).at("devices");
  ASSERT_EQ(devices.size(), 1u) << stats.body;
  EXPECT_EQ(devices[0].at("id"), "cpu_main");
  EXPECT_GT(devices[0].at("perf_score_gflops").get<double>(), 0.0);
}

TEST_F(Operations, AVgpuResultOverTheLimitIs413NamingTheLimitAndCounted) {
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  // ~120 KB asking for a 20000 x 20000 product (3.2 GB): it took the daemon
  // past 2 GiB within seconds. Refused before any work, and the daemon
  // answers on.
  std::string column = "[";
  for (int i = 0; i < 20000; ++i) column += i ? ",[1]" : "[1]";
  column += "]";
  std::string row = "[[";
  for (int i = 0; i < 20000; ++i) row += i ? ",1" : "1";
  row += "]]";
  const std::string outer = R"({"kind": "linalg", "payload": {"operation": "matmul", "matrix": )" +
                            column + R"(, "other": )" + row + "}}";
  const auto refused =
      http_request(api_port, Verb::post, "/1/vgpu/submit", outer, std::string(kToken));
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_NE(refused.body.find("result: 20000 x 20000 = 400000000 elements exceeds the limit of "
                              "16777216 elements"),
            std::string::npos)
      << refused.body;
  const auto small = http_request(
      api_port, Verb::post, "/1/vgpu/submit",
      R"({"kind": "linalg", "payload": {"matrix": [1.0], "vector": [2.0], "operation": "matmul"}})",
      std::string(kToken));
  EXPECT_EQ(small.status, 200) << small.body;
  std::smatch port;
  ASSERT_TRUE(std::regex_search(metrics_url, port, std::regex(R"(:(\d+)/metrics)")));
  const auto metrics =
      http_request(static_cast<uint16_t>(std::stoi(port[1])), Verb::get, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(R"(synthminer_vgpu_refused_total{reason="result_too_large"} 1)"),
            std::string::npos)
      << metrics.body;
}

TEST_F(Operations, AVgpuLayerTurnedOffAnswers503WithTheReason) {
  ASSERT_NO_FATAL_FAILURE(start_daemon(false, {{"enabled", false}}));
  const auto submit = http_request(
      api_port, Verb::post, "/1/vgpu/submit",
      R"({"kind": "linalg", "payload": {"matrix": [1.0], "vector": [1.0], "operation": "matmul"}})",
      std::string(kToken));
  EXPECT_EQ(submit.status, 503);
  EXPECT_NE(submit.body.find("vgpu.enabled"), std::string::npos) << submit.body;
  const auto stats = http_request(api_port, Verb::get, "/1/vgpu/stats");
  EXPECT_EQ(stats.status, 503);
  // Mining is untouched.
  EXPECT_TRUE(pool->wait_for_shares(1, 20s)) << daemon->log();
}

// The demo's choice (docs/VGPU.md, "The demo's API"): while no token is set,
// its loopback API takes POST without one, so the README's example runs as
// written; a token set by a reload closes that.
TEST_F(Operations, TheDemoTakesLoopbackPostWithoutATokenUntilOneIsSet) {
  ASSERT_NO_FATAL_FAILURE(start_daemon(/*demo_mode=*/true, json::object(), /*token=*/false));
  EXPECT_TRUE(daemon->wait_for_log("demo: POST from this machine needs no token", 1s))
      << daemon->log();
  const std::string example =
      R"({"kind":"linalg","signature":"matmul_demo","payload":{"matrix":[1.0,2.0],"vector":[3.0,4.0],"operation":"matmul"}})";
  const auto open = http_request(api_port, Verb::post, "/1/vgpu/submit", example);
  ASSERT_EQ(open.status, 200) << open.body;
  EXPECT_EQ(json::parse(open.body).at("result").at("value"), json::array({11.0}));

  json file = json::parse(config_text(pool_port, "info", 1));
  file.erase("pools");
  write_config(file.dump(2));
  daemon->signal(SIGHUP);
  // The demo logs warnings only: the reload shows in the answers.
  EXPECT_TRUE(testing::eventually(
      [&] { return http_request(api_port, Verb::post, "/1/vgpu/submit", example).status == 401; },
      20s))
      << daemon->log();
  EXPECT_EQ(
      http_request(api_port, Verb::post, "/1/vgpu/submit", example, std::string(kToken)).status,
      200);
}

TEST_F(Operations, MetricsPassPromtoolAndAPrometheusScrape) {
  if (access("/usr/bin/prometheus", X_OK) != 0 || access("/usr/bin/promtool", X_OK) != 0)
    GTEST_SKIP() << "prometheus and promtool are not installed (scripts/setup installs them)";
  ASSERT_NO_FATAL_FAILURE(start_daemon(/*demo_mode=*/true));
  ASSERT_TRUE(hashes_reported());  // every family has a series by then
  const std::string cmd = std::string("bash ") + SOURCE_DIR + "/tests/telemetry/check_metrics.sh " +
                          metrics_url + " " + SOURCE_DIR + "/systemd/grafana-dashboard.json > " +
                          dir.file("check.log") + " 2>&1";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(status, 0) << testing::read_file(dir.file("check.log"));
}

TEST_F(Operations, ReloadsAppliedRefusedAndRepeatedWithoutLosingShares) {
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  ASSERT_TRUE(pool->wait_for_shares(2, 20s)) << daemon->log();

  // A valid change: log level, a pool added, more threads.
  write_config(config_text(pool_port, "debug", 2, /*second_pool=*/true));
  daemon->signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_log(R"(reload: applied \((\d+) setting)", 20s)) << daemon->log();
  EXPECT_TRUE(daemon->wait_for_log("reload: 2 device worker", 1s)) << daemon->log();
  EXPECT_NE(daemon->log().find("this connection is kept"), std::string::npos) << daemon->log();
  const size_t shares_before = pool->counts().accepted;
  EXPECT_TRUE(pool->wait_for_shares(shares_before + 2, 20s)) << daemon->log();
  EXPECT_EQ(pool->connections_total(), 1u);  // the pool connection stayed up
  const auto devices = json::parse(http_request(api_port, Verb::get, "/1/devices").body);
  EXPECT_EQ(devices.at("devices").size(), 2u);

  // An invalid file is refused; the old config keeps running.
  write_config(R"({"pools": [{"url": "stratum+tcp://127.0.0.1:1", "user": "u", "oops": 1}]})");
  daemon->signal(SIGHUP);
  ASSERT_TRUE(daemon->wait_for_log(R"(reload refused[^\n]*(/pools/0/oops))", 20s)) << daemon->log();
  const size_t after_refusal = pool->counts().accepted;
  EXPECT_TRUE(pool->wait_for_shares(after_refusal + 1, 20s)) << daemon->log();

  // Repeated SIGHUPs while hashing: still mining, nothing lost.
  write_config(config_text(pool_port, "info", 2, true));
  for (int i = 0; i < 5; ++i) {
    daemon->signal(SIGHUP);
    std::this_thread::sleep_for(30ms);
  }
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(daemon->running()) << daemon->log();
  EXPECT_EQ(pool->connections_total(), 1u);
  const auto summary = json::parse(http_request(api_port, Verb::get, "/1/summary").body);
  EXPECT_GE(summary.at("config_reloads").at("failure").get<int>(), 1) << summary.dump();
  EXPECT_GE(summary.at("config_reloads").at("success").get<int>(), 2) << summary.dump();

  daemon->signal(SIGINT);
  ASSERT_EQ(daemon->wait_exit(15s), 0) << daemon->log();
  const std::string log = daemon->log();
  EXPECT_NE(log.find("pending 0"), std::string::npos) << log;
  EXPECT_EQ(pool->counts().rejected, 0u);
  EXPECT_EQ(log.find(kPassword), std::string::npos) << "the pool password reached the log";
  EXPECT_EQ(log.find(kToken), std::string::npos) << "the API token reached the log";
}

TEST_F(Operations, SystemdHearsReadyReloadingStatusWatchdogAndStopping) {
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  ASSERT_TRUE(testing::eventually([&] { return notify.find("READY=1").has_value(); }, 10s));
  ASSERT_TRUE(testing::eventually([&] { return notify.find("WATCHDOG=1").has_value(); }, 5s));
  const size_t ready = *notify.find("READY=1");
  EXPECT_TRUE(notify.find("STATUS=", ready));
  daemon->signal(SIGHUP);
  ASSERT_TRUE(testing::eventually(
      [&] {
        const auto reloading = notify.find("RELOADING=1", ready);
        return reloading && notify.find("READY=1", *reloading + 1);
      },
      20s))
      << daemon->log();
  const size_t reloading = *notify.find("RELOADING=1", ready);
  EXPECT_GT(reloading, ready);
  const size_t watchdog_seen = notify.messages().size();
  EXPECT_TRUE(testing::eventually(
      [&] { return notify.find("WATCHDOG=1", watchdog_seen).has_value(); }, 5s));
  daemon->signal(SIGTERM);
  ASSERT_EQ(daemon->wait_exit(15s), 0) << daemon->log();
  const auto stopping = notify.find("STOPPING=1");
  ASSERT_TRUE(stopping);
  EXPECT_GT(*stopping, reloading);
}

}  // namespace
}  // namespace synthminer::daemon
