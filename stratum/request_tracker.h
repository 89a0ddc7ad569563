// Requests we sent and still wait on: id -> (method, deadline, callback).
// Every request ends exactly once: answered, timed out, or closed with the
// connection. Pure bookkeeping, the caller owns the clock and the timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace synthminer::stratum {

struct Reply {
  enum class Status { kAnswered, kTimedOut, kClosed };
  Status status = Status::kAnswered;
  nlohmann::json result;  ///< kAnswered only
  std::string error;      ///< kAnswered: the pool's reason ("" when none)
};

class RequestTracker {
 public:
  using Clock = std::chrono::steady_clock;
  using Callback = std::function<void(const Reply&)>;

  /// The id for the next request (ids start at 1 and never repeat).
  uint64_t next_id() const { return next_id_; }

  /// Tracks a request; returns its id. `deadline` nullopt: it never times
  /// out (it still ends when the connection closes).
  uint64_t add(std::string method, std::optional<Clock::time_point> deadline, Callback done);

  /// The pool answered `id`. False when no such request is waiting (never
  /// sent, already timed out, or answered twice).
  bool answer(uint64_t id, nlohmann::json result, std::string error);

  /// Ends every request whose deadline is <= now, as timed out.
  void expire(Clock::time_point now);

  /// Ends every request, as closed (the connection is gone).
  void close_all();

  std::optional<Clock::time_point> next_deadline() const;
  size_t size() const { return pending_.size(); }
  /// The method of a waiting request ("" when none).
  std::string method_of(uint64_t id) const;

 private:
  struct Pending {
    std::string method;
    std::optional<Clock::time_point> deadline;
    Callback done;
  };
  uint64_t next_id_ = 1;
  std::map<uint64_t, Pending> pending_;
};

}  // namespace synthminer::stratum
