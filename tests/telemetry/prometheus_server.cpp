#include "tests/telemetry/prometheus_server.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "tests/telemetry/http_get.h"
#include "tests/telemetry/promtool.h"

extern char** environ;

namespace synthminer::telemetry::test {

namespace {

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return out;
}

}  // namespace

std::optional<PrometheusServer> PrometheusServer::start(const std::string& target,
                                                        std::string* error) {
  const std::string dir = make_temp_dir("synthminer-prometheus");
  const std::string config = dir + "/prometheus.yml";
  std::ofstream(config) << "global:\n"
                           "  scrape_interval: 1s\n"
                           "  scrape_timeout: 1s\n"
                           "scrape_configs:\n"
                           "  - job_name: synthminer\n"
                           "    static_configs:\n"
                           "      - targets: ['"
                        << target << "']\n";
  const uint16_t port = free_loopback_port();
  std::vector<std::string> args = {
      kPrometheus, "--config.file=" + config, "--storage.tsdb.path=" + dir + "/data",
      "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = dir + "/prometheus.log";
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, kPrometheus, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (error) *error = std::string("posix_spawn ") + kPrometheus + ": " + std::strerror(rc);
    std::filesystem::remove_all(dir);
    return std::nullopt;
  }
  return PrometheusServer(pid, port, dir);
}

PrometheusServer::PrometheusServer(PrometheusServer&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), port_(other.port_), dir_(std::move(other.dir_)) {
  other.dir_.clear();
}

PrometheusServer::~PrometheusServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 100 && !reaped; ++i) {  // up to 5 s for a clean exit
      reaped = waitpid(pid_, &status, WNOHANG) == pid_;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!reaped) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string PrometheusServer::log() const {
  std::ostringstream text;
  text << std::ifstream(dir_ + "/prometheus.log").rdbuf();
  return text.str();
}

std::optional<double> PrometheusServer::query_value(const std::string& promql) const {
  auto response = http_get("127.0.0.1", port_, "/api/v1/query?query=" + url_encode(promql),
                           std::chrono::seconds(2));
  if (!response || response->status != 200) return std::nullopt;
  const auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (body.is_discarded() || body.value("status", "") != "success") return std::nullopt;
  const auto& result = body["data"]["result"];
  if (!result.is_array() || result.empty()) return std::nullopt;
  // "value": [ <unix time>, "<sample value as text>" ]
  return std::stod(result[0]["value"][1].get<std::string>());
}

}  // namespace synthminer::telemetry::test
