// A real Prometheus server (/usr/bin/prometheus) for one test: loopback
// only, a temporary config scraping one target every second, storage in a
// temporary directory. The destructor kills it (SIGTERM, then SIGKILL) and
// removes the directory, whatever the test did.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace synthminer::telemetry::test {

class PrometheusServer {
 public:
  /// Starts the server scraping http://`target`/metrics (target "host:port").
  /// nullopt and `error` set when it cannot be started.
  static std::optional<PrometheusServer> start(const std::string& target, std::string* error);
  PrometheusServer(PrometheusServer&& other) noexcept;
  PrometheusServer& operator=(PrometheusServer&&) = delete;
  ~PrometheusServer();

  uint16_t port() const { return port_; }
  /// The server's own log (stdout and stderr), for failure messages.
  std::string log() const;
  /// The first value of an instant query's vector result; nullopt when the
  /// query fails or has no result yet.
  std::optional<double> query_value(const std::string& promql) const;

 private:
  PrometheusServer(pid_t pid, uint16_t port, std::string dir)
      : pid_(pid), port_(port), dir_(std::move(dir)) {}

  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string dir_;
};

}  // namespace synthminer::telemetry::test
