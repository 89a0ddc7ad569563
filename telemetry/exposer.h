// MetricsExposer: serves the registry at http://<listen>/metrics in the
// Prometheus text format (prometheus-cpp's civetweb-based Exposer).
//
// Design: start() binds and starts the HTTP server's own threads
// (`threads`, default 2); each scrape calls Registry::snapshot() on one of
// them, so scrapes never touch the daemon's io thread. stop() (or the
// destructor) joins those threads; it may be called from any thread but not
// from a scrape. A bind failure or a bad address comes back as an error
// value naming the address; nothing throws out of this API. The default
// listens on loopback only.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/registry.h"
#include "telemetry/result.h"

namespace prometheus {
class Exposer;
class Collectable;
}  // namespace prometheus

namespace synthminer::telemetry {

struct ExposerOptions {
  /// IPv4:port, or [::]:port for every IPv4 and IPv6 address (other IPv6
  /// addresses are refused: the HTTP server cannot bind them); port 0 picks
  /// a free port.
  std::string listen = "127.0.0.1:9464";
  size_t threads = 2;  ///< HTTP server threads
  /// When set, /metrics needs HTTP basic auth with this password (any user
  /// name): the daemon sets the API token here for a listener beyond
  /// loopback. Never logged.
  std::optional<std::string> password = std::nullopt;
};

struct ListenAddress {
  std::string host;  ///< numeric, without brackets
  uint16_t port = 0;
  bool ipv6 = false;
  /// "127.0.0.1:9464" or "[::1]:9464".
  std::string to_string() const;
};

/// Parses "IPv4:port" or "[IPv6]:port" (numeric hosts only; the port 0-65535).
Result<ListenAddress> parse_listen_address(std::string_view text);

class MetricsExposer {
 public:
  /// Binds `options.listen` and serves `registry` at /metrics. An error
  /// ("metrics: cannot listen on 127.0.0.1:9464: …") when the address is
  /// invalid or cannot be bound.
  static Result<std::unique_ptr<MetricsExposer>> start(const ExposerOptions& options,
                                                       std::shared_ptr<const Registry> registry);
  ~MetricsExposer();
  MetricsExposer(const MetricsExposer&) = delete;
  MetricsExposer& operator=(const MetricsExposer&) = delete;

  /// The bound address, with the real port when 0 was asked for.
  std::string address() const;
  /// The bound port (the real one when 0 was asked for).
  uint16_t port() const { return bound_.port; }
  /// Serves another prometheus-cpp collectable (e.g. a prometheus::Registry
  /// of some module's own) at /metrics beside the registry. Any thread.
  void add_collectable(const std::weak_ptr<prometheus::Collectable>& collectable);
  /// Replaces the basic-auth password from the next scrape on (a rotated
  /// API token). Only for an exposer started with a password; ignored
  /// otherwise (a loopback listener has none). Any thread.
  void set_password(std::string password);
  /// Stops serving and joins the server's threads; idempotent.
  void stop();

 private:
  struct Password;  // shared with the auth callback on the server's threads

  MetricsExposer(ListenAddress bound, std::unique_ptr<prometheus::Exposer> exposer,
                 std::shared_ptr<prometheus::Collectable> collector,
                 std::shared_ptr<Password> password);

  const ListenAddress bound_;
  std::mutex mu_;  ///< guards exposer_ against stop() racing add_collectable()
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::shared_ptr<prometheus::Collectable> collector_;
  std::shared_ptr<Password> password_;  ///< null when no auth is asked for
};

}  // namespace synthminer::telemetry
