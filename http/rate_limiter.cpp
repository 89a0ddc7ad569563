#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace synthminer::http {

void RateLimiter::refill(Bucket& bucket, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed * limit_.requests_per_second);
    bucket.updated = now;
  }
}

void RateLimiter::make_room(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= limit_.burst ? buckets_.erase(it) : std::next(it);
  }
  if (buckets_.size() < limit_.max_clients) return;
  const auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](auto& a, auto& b) {
    return a.second.updated < b.second.updated;
  });
  buckets_.erase(oldest);
}

RateLimiter::Decision RateLimiter::acquire(const std::string& client, Clock::time_point now) {
  if (limit_.requests_per_second <= 0) return {};
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= std::max<std::size_t>(1, limit_.max_clients)) make_room(now);
    it = buckets_.emplace(client, Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  refill(bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  const double wait = (1 - bucket.tokens) / limit_.requests_per_second;
  return {false, std::chrono::seconds(std::max<long>(1, static_cast<long>(std::ceil(wait))))};
}

std::size_t RateLimiter::clients() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace synthminer::http
