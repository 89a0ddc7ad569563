// A fixed-bucket histogram (Prometheus semantics: each bucket counts the
// observations <= its upper bound; +Inf is implied by the count) and the
// bucket bounds used by the registry, in seconds.
// Not thread-safe: the Registry guards each histogram with its mutex.
#pragma once

#include <cstdint>
#include <vector>

namespace synthminer::telemetry {

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
  explicit Histogram(std::vector<double> upper_bounds);
  /// Records one observation; NaN and infinities are ignored, a negative
  /// value counts as 0.
  void observe(double value);
  HistogramSnapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  ///< per bucket, not cumulative; last is +Inf
  double sum_ = 0;
};

/// Batch wall time, seconds: 1 ms to 10 s.
std::vector<double> batch_duration_buckets();
/// Share submit round trip, seconds: 5 ms to 30 s.
std::vector<double> submit_rtt_buckets();
/// Job switch latency, seconds: 0.5 ms to 2.5 s.
std::vector<double> job_switch_buckets();

}  // namespace synthminer::telemetry
