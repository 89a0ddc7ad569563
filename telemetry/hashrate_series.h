// One hash counter's history, and its rate over the last 10 s, 60 s or
// 15 min. Each batch adds a ramp from its start to its end (hashes are done
// evenly through a batch) and a flat step across any idle gap before it, so
// the hashes done between two instants are read off by interpolation.
// Points closer than kResolution are merged and points older than the
// longest window are dropped: at most ~2 points per second of history are
// kept per series (~1,800 for 15 min).
//
// Not thread-safe: the Registry guards each series with its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace synthminer::telemetry {

using Clock = std::chrono::steady_clock;

/// The windows the registry reports, shortest first.
inline constexpr std::chrono::seconds kWindows[] = {
    std::chrono::seconds(10), std::chrono::seconds(60), std::chrono::seconds(15 * 60)};

class HashrateSeries {
 public:
  static constexpr std::chrono::seconds kLongest{15 * 60};
  static constexpr std::chrono::milliseconds kResolution{1000};

  /// A batch of `hashes` hashes that took `seconds` of wall time and ended
  /// at `end`. Batches should arrive in order of their end; one that ends
  /// before the last recorded instant is counted as ending at that instant.
  void add_batch(uint64_t hashes, double seconds, Clock::time_point end);

  /// Hashes done in (from, to], interpolated inside each batch; 0 for any
  /// part of the interval before the first batch started.
  double hashes_between(Clock::time_point from, Clock::time_point to) const;

  /// When the first batch started; nullopt before any batch.
  std::optional<Clock::time_point> started() const { return started_; }

  /// Hashes per second over (now - window, now]; nullopt until the series
  /// has at least `window` of history (a partial window overstates nothing
  /// but understates a warm-up, so none is given).
  std::optional<double> rate(std::chrono::seconds window, Clock::time_point now) const;

  /// Hashes recorded since the first batch.
  uint64_t total() const { return points_.empty() ? 0 : points_.back().hashes; }

  /// Points held (for tests of the memory bound).
  size_t points() const { return points_.size(); }

 private:
  struct Point {
    Clock::time_point at;
    uint64_t hashes;  ///< cumulative at `at`
  };
  void push(Point point);
  double hashes_at(Clock::time_point t) const;

  std::deque<Point> points_;  ///< oldest first, `at` non-decreasing
  std::optional<Clock::time_point> started_;
};

}  // namespace synthminer::telemetry
