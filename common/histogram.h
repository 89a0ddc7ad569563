// A fixed-bucket histogram (Prometheus semantics: each bucket counts the
// observations <= its upper bound; +Inf is implied by the count). Shared by
// the modules that own a latency (the share ledger's submit round trips,
// the registry's batch and job-switch times).
// Not thread-safe: its owner guards it with its own mutex.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace synthminer::common {

struct HistogramSnapshot {
  std::vector<double> upper_bounds;         ///< ascending, without +Inf
  std::vector<uint64_t> cumulative_counts;  ///< observations <= each bound
  uint64_t count = 0;                       ///< all observations (the +Inf bucket)
  double sum = 0;
  /// Mean of the observations; 0 when there are none.
  double mean() const { return count ? sum / static_cast<double>(count) : 0; }
};

class Histogram {
 public:
  /// `upper_bounds` must be ascending and finite.
  explicit Histogram(std::vector<double> upper_bounds)
      : bounds_(std::move(upper_bounds)), counts_(bounds_.size() + 1, 0) {}

  /// Records one observation; NaN and infinities are ignored, a negative
  /// value counts as 0.
  void observe(double value) {
    if (!std::isfinite(value)) return;
    value = std::max(value, 0.0);
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
    ++counts_[static_cast<size_t>(it - bounds_.begin())];
    sum_ += value;
  }

  HistogramSnapshot snapshot() const {
    HistogramSnapshot out;
    out.upper_bounds = bounds_;
    out.cumulative_counts.reserve(bounds_.size());
    uint64_t running = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      running += counts_[i];
      out.cumulative_counts.push_back(running);
    }
    out.count = running + counts_.back();
    out.sum = sum_;
    return out;
  }

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  ///< per bucket, not cumulative; last is +Inf
  double sum_ = 0;
};

/// Share submit round trip, seconds: 5 ms to 30 s.
inline std::vector<double> submit_rtt_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

}  // namespace synthminer::common
