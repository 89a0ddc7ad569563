// A small HTTP/1.1 GET over a real loopback socket (Boost.Beast), bounded
// by a timeout, for the exposer and Prometheus server tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace synthminer::telemetry::test {

struct HttpResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

/// GET http://host:port/target; nullopt on a connect error, read error or
/// timeout (`error` says which when given).
std::optional<HttpResponse> http_get(const std::string& host, uint16_t port,
                                     const std::string& target,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5),
                                     std::string* error = nullptr,
                                     const std::string& authorization = {});

/// A port on 127.0.0.1 that was free a moment ago.
uint16_t free_loopback_port();

}  // namespace synthminer::telemetry::test
