// Bounds how often a repeated event is logged. A pool that rejects every
// share, a reconnect loop or a flood of bad requests must not fill the
// journal: each kind of event (a key such as "reject pool-a") may be logged
// `burst` times at once and then `per_second` times a second; the
// occurrences in between are counted, and the next line that is logged says
// how many were held back:
//
//   if (auto v = throttle.admit("reject " + pool)) {
//     spdlog::warn("[{}] share rejected: {}{}", pool, reason, v.suffix());
//   }
//   // ... "share rejected: low difficulty (and 1234 more like it in the last 10 s)"
//
// A count is reported with the next logged occurrence of its key, so a
// flood that stops leaves its last count unsaid until the event recurs.
// Any thread may call admit(); a mutex guards the buckets.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace synthminer::common {

/// How much of one kind of event is logged (LogThrottle).
struct LogThrottleOptions {
  double burst = 5;       ///< lines of one key logged back to back
  double per_second = 1;  ///< lines of one key a second after the burst
  /// Distinct keys tracked; later new keys share one bucket. Keys are
  /// chosen by the caller (an event kind and a pool name), never by a peer.
  size_t max_keys = 1024;
};

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  using Options = LogThrottleOptions;

  /// What to do with one occurrence.
  struct Verdict {
    bool log = false;         ///< log this occurrence
    uint64_t suppressed = 0;  ///< occurrences of the key not logged since its last logged one
    Clock::duration since{};  ///< time since the key's last logged occurrence
    explicit operator bool() const { return log; }
    /// "" when nothing was held back, else " (and N more like it in the last S s)".
    std::string suffix() const {
      if (suppressed == 0) return "";
      const auto seconds = std::chrono::duration<double>(since).count();
      return " (and " + std::to_string(suppressed) + " more like it in the last " +
             std::to_string(std::max<int64_t>(1, std::llround(seconds))) + " s)";
    }
  };

  explicit LogThrottle(Options options = {}, Now now = Clock::now)
      : options_(options), now_(std::move(now)) {}

  /// Counts one occurrence of `key` and says whether to log it.
  Verdict admit(std::string_view key) {
    const Clock::time_point t = now_();
    std::lock_guard lock(mu_);
    Bucket& b = bucket(std::string(key), t);
    const double elapsed = std::chrono::duration<double>(t - b.refilled).count();
    b.tokens = std::min(options_.burst, b.tokens + std::max(0.0, elapsed) * options_.per_second);
    b.refilled = t;
    if (b.tokens < 1) {
      ++b.suppressed;
      return {};
    }
    b.tokens -= 1;
    Verdict v{true, b.suppressed, t - b.logged};
    b.suppressed = 0;
    b.logged = t;
    return v;
  }

 private:
  struct Bucket {
    double tokens = 0;
    uint64_t suppressed = 0;
    Clock::time_point refilled;
    Clock::time_point logged;
  };

  Bucket& bucket(std::string key, Clock::time_point t) {
    if (buckets_.size() >= options_.max_keys && buckets_.count(key) == 0) key = kOverflowKey;
    auto [it, inserted] = buckets_.try_emplace(std::move(key));
    if (inserted) it->second = Bucket{options_.burst, 0, t, t};
    return it->second;
  }

  static constexpr std::string_view kOverflowKey = "\x01overflow";

  Options options_;
  Now now_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace synthminer::common
