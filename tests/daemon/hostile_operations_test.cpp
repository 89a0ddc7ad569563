// synthminerd as a real process facing an unlucky operator (issue 13): a
// reload whose bad file holds new secrets, a rotated API token, a metrics
// port that another process holds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "demo_pool/demo_pool.h"
#include "tests/common/count_substrings.h"

namespace synthminer::daemon {
namespace {

using synthminer::testing::count_substrings;
using namespace std::chrono_literals;
using nlohmann::json;
using testing::DaemonProcess;
using testing::http_request;
using Verb = boost::beast::http::verb;

constexpr const char* kToken = "hostile-token-0123456789";

/// One GET with an Authorization header of the caller's; status 0 on failure.
int get_status(uint16_t port, const std::string& target, const std::string& authorization) {
  namespace http = boost::beast::http;
  try {
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(5s);
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res.result_int();
  } catch (const std::exception&) {
    return 0;
  }
}

/// "Basic base64(prometheus:password)".
std::string basic_auth(const std::string& password) {
  const std::string plain = "prometheus:" + password;
  std::string out(boost::beast::detail::base64::encoded_size(plain.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), plain.data(), plain.size()));
  return "Basic " + out;
}

class HostileOperations : public ::testing::Test {
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
  void TearDown() override {
    if (daemon && daemon->running()) {
      daemon->signal(SIGINT);
      daemon->wait_exit(15s);
    }
    if (pool) pool->stop();
  }

  json config_json(const std::string& token, const std::string& metrics_listen,
                   const std::string& api_listen = "127.0.0.1:0") const {
    return {
        {"pools",
         {{{"name", "demo"},
           {"url", "stratum+tcp://127.0.0.1:" + std::to_string(pool_port)},
           {"user", "test.worker"},
           {"password", "old-pool-password"}}}},
        {"devices", {{"cpu", {{"threads", 1}}}, {"cuda", {{"enabled", false}}}}},
        {"metrics", {{"listen", metrics_listen}, {"bind_retry_seconds", 0.2}}},
        {"api", {{"listen", api_listen}, {"token", token}, {"bind_retry_seconds", 0.2}}},
    };
  }
  void write_config(const std::string& text) {
    std::ofstream(config + ".new") << text;
    std::rename((config + ".new").c_str(), config.c_str());
  }
  void start_daemon(const json& config_value, bool wait_for_api = true) {
    write_config(config_value.dump(2));
    daemon = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--config", config}, dir.file("out.log"),
        std::vector<std::pair<std::string, std::string>>{{"NOTIFY_SOCKET", notify.path()}});
    if (!wait_for_api) return;
    const auto api = daemon->wait_for_log(R"(api: listening on 127\.0\.0\.1:(\d+))", 20s);
    ASSERT_TRUE(api) << daemon->log();
    api_port = static_cast<uint16_t>(std::stoi(*api));
  }
  /// Sends SIGHUP and waits for the reload counter of `outcome` to reach `count`.
  bool reload_counted(const char* outcome, int count) {
    daemon->signal(SIGHUP);
    return testing::eventually(
        [&] {
          const auto reply = http_request(api_port, Verb::get, "/1/summary");
          if (reply.status != 200) return false;
          const auto summary = json::parse(reply.body, nullptr, false);
          return summary.is_object() && summary["config_reloads"].value(outcome, 0) >= count;
        },
        20s);
  }

  testing::TempDir dir;
  std::string config = dir.file("config.json");
  testing::NotifySocket notify{dir.file("notify.sock")};
  std::unique_ptr<demo_pool::DemoPool> pool;
  uint16_t pool_port = 0;
  std::unique_ptr<DaemonProcess> daemon;
  uint16_t api_port = 0;
};

TEST_F(HostileOperations, AReloadWithASecretInsideABadValueNeverShowsItInLogOrStatus) {
  ASSERT_NO_FATAL_FAILURE(start_daemon(config_json(kToken, "127.0.0.1:0")));
  const std::string url = "stratum+tcp://127.0.0.1:" + std::to_string(pool_port);
  // Each file is refused, and each holds a secret the running daemon has
  // never seen, so its log redaction cannot know it.
  const std::vector<std::string> bad_files = {
      // a raw tab inside the new password: a JSON syntax error
      R"({"pools": [{"url": ")" + url +
          R"(", "user": "u", "password": "new-secret-1)"
          "\t"
          R"(x"}]})",
      // a bad escape inside the new token
      R"({"pools": [{"url": ")" + url +
          R"(", "user": "u"}], "api": {"token": "new-secret-2\q-0123456789"}})",
      // user info in the URL
      R"({"pools": [{"url": "stratum+tcp://w:new-secret-3@127.0.0.1:1", "user": "u"}]})",
      // a password pasted into the host
      R"({"pools": [{"url": "stratum+tcp://new-secret-4 x:1", "user": "u"}]})",
      // a password pasted into the port
      R"({"pools": [{"url": "stratum+tcp://127.0.0.1:new-secret-5", "user": "u"}]})",
  };
  int refused = 0;
  for (const std::string& text : bad_files) {
    write_config(text);
    ASSERT_TRUE(reload_counted("failure", ++refused)) << text << "\n" << daemon->log();
  }
  ASSERT_TRUE(testing::eventually(
      [&] { return count_substrings(daemon->log(), "reload refused") >= 5; }, 5s))
      << daemon->log();
  ASSERT_TRUE(testing::eventually([&] { return notify.find("reload refused").has_value(); }, 5s));
  const std::string log = daemon->log();
  EXPECT_EQ(log.find("new-secret"), std::string::npos) << log;
  for (const std::string& message : notify.messages()) {
    EXPECT_EQ(message.find("new-secret"), std::string::npos) << message;
  }

  // The refusal stays in STATUS until a reload succeeds: the file on disk is
  // not in force. Then it goes.
  write_config(config_json(kToken, "127.0.0.1:0").dump(2));
  ASSERT_TRUE(reload_counted("success", 1)) << daemon->log();
  ASSERT_TRUE(testing::eventually(
      [&] {
        const auto all = notify.messages();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
          if (it->find("STATUS=") != std::string::npos) {
            return it->find("reload refused") == std::string::npos;
          }
        }
        return false;
      },
      5s));
}

TEST_F(HostileOperations, WhileNoPoolAnswersTheStatusSaysItIsWaiting) {
  json config_value = config_json(kToken, "127.0.0.1:0");
  pool->stop();  // nothing listens on the pool's port any more
  ASSERT_NO_FATAL_FAILURE(start_daemon(config_value));
  EXPECT_TRUE(testing::eventually(
      [&] {
        return notify.find("STATUS=waiting for demo (connecting; not mining yet)").has_value();
      },
      5s))
      << daemon->log();
}

TEST_F(HostileOperations, ARotatedApiTokenAppliesAtOnceToMetrics) {
  // Beyond loopback, /metrics takes the API token as its basic-auth password.
  ASSERT_NO_FATAL_FAILURE(start_daemon(config_json(kToken, "0.0.0.0:0")));
  const auto metrics = daemon->wait_for_log(R"(metrics: serving http://0\.0\.0\.0:(\d+))", 5s);
  ASSERT_TRUE(metrics) << daemon->log();
  const auto metrics_port = static_cast<uint16_t>(std::stoi(*metrics));
  EXPECT_EQ(get_status(metrics_port, "/metrics", basic_auth(kToken)), 200);

  const std::string rotated = "rotated-token-9876543210";
  write_config(config_json(rotated, "0.0.0.0:0").dump(2));
  ASSERT_TRUE(reload_counted("success", 1)) << daemon->log();
  EXPECT_EQ(get_status(metrics_port, "/metrics", basic_auth(kToken)), 401);
  EXPECT_EQ(get_status(metrics_port, "/metrics", basic_auth(rotated)), 200);
  // And on the API.
  EXPECT_EQ(http_request(api_port, Verb::post, "/1/pause", "{}", kToken).status, 401);
  EXPECT_EQ(http_request(api_port, Verb::post, "/1/resume", "{}", rotated).status, 200);
}

/// A port on 127.0.0.1 that another process holds, as a second instance would.
class HeldPort {
 public:
  HeldPort()
      : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        port_(acceptor_.local_endpoint().port()) {
    // Not inherited by the daemon the test forks, or it would hold the port too.
    fcntl(acceptor_.native_handle(), F_SETFD, FD_CLOEXEC);
  }
  uint16_t port() const { return port_; }
  std::string listen() const { return "127.0.0.1:" + std::to_string(port()); }
  void release() { acceptor_.close(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_;
};

json summary_of(uint16_t api_port) {
  const auto reply = http_request(api_port, Verb::get, "/1/summary");
  return reply.status == 200 ? json::parse(reply.body, nullptr, false) : json();
}

TEST_F(HostileOperations, ABusyMetricsPortDoesNotStopMiningAndIsBoundOnceFree) {
  HeldPort held;
  ASSERT_NO_FATAL_FAILURE(start_daemon(config_json(kToken, held.listen())));
  // It mines, and says what is wrong where an operator looks.
  ASSERT_TRUE(testing::eventually([&] { return summary_of(api_port).value("hashes", 0) > 0; }, 20s))
      << daemon->log();
  const json errors = summary_of(api_port)["listener_errors"];
  ASSERT_TRUE(errors.contains("metrics")) << errors.dump();
  EXPECT_NE(errors["metrics"].get<std::string>().find("cannot listen on " + held.listen()),
            std::string::npos)
      << errors.dump();
  // Named as a port another program holds, with the key to change.
  EXPECT_NE(errors["metrics"].get<std::string>().find(
                held.listen() + " is in use by another program, perhaps another synthminerd: "
                                "give each instance its own metrics.listen"),
            std::string::npos)
      << errors.dump();
  EXPECT_TRUE(
      testing::eventually([&] { return notify.find("metrics: cannot listen").has_value(); }, 5s));
  // Retried every 0.2 s, said once.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(count_substrings(daemon->log(), "cannot listen on " + held.listen()), 1u)
      << daemon->log();

  held.release();
  const auto serving = daemon->wait_for_log(
      "metrics: serving http://127\\.0\\.0\\.1:" + std::to_string(held.port()), 10s);
  ASSERT_TRUE(serving) << daemon->log();
  EXPECT_TRUE(summary_of(api_port)["listener_errors"].empty());
  EXPECT_EQ(get_status(held.port(), "/metrics", ""), 200);
}

TEST_F(HostileOperations, ABusyApiPortDoesNotStopMiningAndIsBoundOnceFree) {
  HeldPort held;
  ASSERT_NO_FATAL_FAILURE(start_daemon(config_json(kToken, "127.0.0.1:0", held.listen()), false));
  const auto metrics = daemon->wait_for_log(R"(metrics: serving http://127\.0\.0\.1:(\d+))", 20s);
  ASSERT_TRUE(metrics) << daemon->log();
  ASSERT_TRUE(
      daemon->wait_for_log("api: cannot listen.*in use by another program.*api\\.listen", 5s))
      << daemon->log();
  EXPECT_TRUE(daemon->running());

  held.release();
  ASSERT_TRUE(daemon->wait_for_log("api: listening on " + held.listen(), 10s)) << daemon->log();
  EXPECT_TRUE(summary_of(held.port())["listener_errors"].empty());
}

}  // namespace
}  // namespace synthminer::daemon
