#include "stratum/failover.h"

#include <algorithm>

namespace synthminer::stratum {
namespace {
constexpr int kMaxPenalty = 16;
}

FailoverPolicy::FailoverPolicy(size_t pool_count, FailoverOptions options, Clock::time_point now)
    : options_(options), pools_(std::max<size_t>(pool_count, 1)), switched_at_(now) {
  if (options_.failures_before_failover == 0) options_.failures_before_failover = 1;
  for (auto& p : pools_) p.required = options_.failback_after;
}

bool FailoverPolicy::on_failure(Clock::time_point now) {
  if (++failures_ < options_.failures_before_failover || pools_.size() == 1) return false;
  PoolHealth& leaving = pools_[current_];
  // Leaving a pool soon after we came back to it is a flap: ask more of it next time.
  const auto base = std::chrono::duration_cast<Clock::duration>(options_.failback_after);
  if (failed_back_ && now - switched_at_ < leaving.required) {
    leaving.required = std::min(leaving.required * 2, base * kMaxPenalty);
  } else {
    leaving.required = base;
  }
  leaving.healthy_since.reset();
  leaving.last_ok.reset();
  switch_to((current_ + 1) % pools_.size(), now);
  failed_back_ = false;
  return true;
}

void FailoverPolicy::on_healthy() {
  failures_ = 0;
}

std::vector<size_t> FailoverPolicy::probe_candidates() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < current_; ++i) out.push_back(i);
  return out;
}

void FailoverPolicy::on_probe(size_t pool, bool ok, Clock::time_point now) {
  if (pool >= pools_.size()) return;
  PoolHealth& p = pools_[pool];
  if (!ok) {
    p.healthy_since.reset();
    p.last_ok.reset();
    return;
  }
  if (!p.healthy_since) p.healthy_since = now;
  p.last_ok = now;
}

std::optional<size_t> FailoverPolicy::failback_target(Clock::time_point now) const {
  if (now - switched_at_ < options_.min_dwell) return std::nullopt;
  for (size_t i = 0; i < current_; ++i) {
    const PoolHealth& p = pools_[i];
    if (p.healthy_since && p.last_ok && *p.last_ok - *p.healthy_since >= p.required) return i;
  }
  return std::nullopt;
}

void FailoverPolicy::switch_to(size_t pool, Clock::time_point now) {
  if (pool >= pools_.size()) return;
  failed_back_ = pool < current_;
  current_ = pool;
  failures_ = 0;
  switched_at_ = now;
  pools_[pool].healthy_since.reset();
  pools_[pool].last_ok.reset();
}

}  // namespace synthminer::stratum
