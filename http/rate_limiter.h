// RateLimiter: one token bucket per client IP address. Each request takes a
// token; a bucket refills at `requests_per_second` up to `burst`. The table
// of buckets is bounded: when it is full, buckets that have refilled
// completely (idle clients) are dropped first, then the least recently used.
// Thread-safe (one mutex): connections on different strands share it.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace synthminer::http {

struct RateLimit {
  double requests_per_second = 20;  ///< refill rate; <= 0 turns limiting off
  double burst = 40;                ///< bucket size, requests
  std::size_t max_clients = 4096;   ///< buckets kept at most
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{
        0};  ///< when refused: whole seconds until a token is back, >= 1
  };
  /// Takes one token from `client`'s bucket as of `now`.
  Decision acquire(const std::string& client, Clock::time_point now);

  /// Buckets currently kept (for tests and stats).
  std::size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  void refill(Bucket& bucket, Clock::time_point now) const;
  void make_room(Clock::time_point now);

  const RateLimit limit_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace synthminer::http
