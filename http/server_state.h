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
#include <vector>

#include "http/rate_limiter.h"
#include "http/router.h"
#include "http/server.h"

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
  /// A token is set and not empty ("" means none, as in ServerOptions).
  bool has_token() const {
    std::lock_guard lock(mutex_);
    return token_ && !token_->empty();
  }
  void set_token(std::optional<std::string> token) {
    std::lock_guard lock(mutex_);
    token_ = std::move(token);
  }

  enum class Admission { kAdded, kStopping, kFull, kAddressFull };

  /// Registers `c`, from client `address`, unless the server is stopping,
  /// full, or that address holds max_connections_per_address already.
  Admission add(const Connection* key, std::weak_ptr<Connection> c, const std::string& address) {
    std::lock_guard lock(mutex_);
    if (stopping_) return Admission::kStopping;
    if (connections_.size() >= options.max_connections) return Admission::kFull;
    std::size_t& held = per_address_[address];
    if (held >= options.max_connections_per_address) {
      if (held == 0) per_address_.erase(address);
      return Admission::kAddressFull;
    }
    ++held;
    connections_.emplace(key, Entry{std::move(c), address});
    return Admission::kAdded;
  }
  void remove(const Connection* key) {
    std::lock_guard lock(mutex_);
    const auto it = connections_.find(key);
    if (it == connections_.end()) return;
    release(it->second.address);
    connections_.erase(it);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return connections_.size();
  }
  /// Marks the server stopping and hands over every live connection.
  std::vector<std::weak_ptr<Connection>> take_all() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    std::vector<std::weak_ptr<Connection>> all;
    for (auto& [key, entry] : connections_) all.push_back(std::move(entry.connection));
    connections_.clear();
    per_address_.clear();
    return all;
  }

 private:
  struct Entry {
    std::weak_ptr<Connection> connection;
    std::string address;
  };

  void release(const std::string& address) {
    const auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
  }

  mutable std::mutex mutex_;
  std::optional<std::string> token_;
  bool stopping_ = false;
  std::unordered_map<const Connection*, Entry> connections_;
  std::unordered_map<std::string, std::size_t> per_address_;  ///< connections by client address
};

}  // namespace synthminer::http::detail
