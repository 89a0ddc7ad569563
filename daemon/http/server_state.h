// ServerState: what a Server shares with its connections. Internal to
// synthminer::http. Options and routes are read-only once the server has
// started; the token and the connection registry have their own mutex.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "daemon/http/rate_limiter.h"
#include "daemon/http/router.h"
#include "daemon/http/server.h"

namespace synthminer::http::detail {

class Connection;

struct ServerState {
  ServerState(ServerOptions options_in, Router router_in)
      : options(std::move(options_in)), router(std::move(router_in)), limiter(options.rate_limit) {
    token_ = options.token;
  }

  const ServerOptions options;
  const Router router;
  RateLimiter limiter;
  bool loopback_listener = true;  ///< set by Server::start before the first accept

  std::optional<std::string> token() const {
    std::lock_guard lock(mutex_);
    return token_;
  }
  void set_token(std::optional<std::string> token) {
    std::lock_guard lock(mutex_);
    token_ = std::move(token);
  }

  /// Registers `c` unless the server is stopping or full; false then.
  bool add(const Connection* key, std::weak_ptr<Connection> c) {
    std::lock_guard lock(mutex_);
    if (stopping_ || connections_.size() >= options.max_connections) return false;
    connections_.emplace(key, std::move(c));
    return true;
  }
  void remove(const Connection* key) {
    std::lock_guard lock(mutex_);
    connections_.erase(key);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
  }
  /// Marks the server stopping and hands over every live connection.
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> take_all() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    return std::exchange(connections_, {});
  }

 private:
  mutable std::mutex mutex_;
  std::optional<std::string> token_;
  bool stopping_ = false;
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> connections_;
};

}  // namespace synthminer::http::detail
