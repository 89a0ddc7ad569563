#include "telemetry/hashrate_series.h"

#include <algorithm>

namespace synthminer::telemetry {

namespace {

Clock::duration to_duration(double seconds) {
  if (!(seconds > 0)) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

void HashrateSeries::add_batch(uint64_t hashes, double seconds, Clock::time_point end) {
  Clock::time_point start = end - to_duration(seconds);
  if (points_.empty()) {
    started_ = start;
    points_.push_back({start, 0});
  } else {
    end = std::max(end, points_.back().at);
    start = std::max(start, points_.back().at);
    // Idle since the last batch: flat until this one began.
    if (start > points_.back().at) push({start, points_.back().hashes});
  }
  push({end, points_.back().hashes + hashes});

  // Keep one point at or before the start of the longest window.
  const Clock::time_point cutoff = end - kLongest - kResolution * 2;
  while (points_.size() > 2 && points_[1].at <= cutoff) points_.pop_front();
}

void HashrateSeries::push(Point point) {
  const size_t n = points_.size();
  // Merge with the previous point when it is too close to the one before it;
  // the first point (the start of history) is never merged away.
  if (n >= 2 && point.at - points_[n - 2].at < kResolution) {
    points_.back() = point;
  } else {
    points_.push_back(point);
  }
}

double HashrateSeries::hashes_at(Clock::time_point t) const {
  if (points_.empty()) return 0;
  if (t <= points_.front().at) return static_cast<double>(points_.front().hashes);
  if (t >= points_.back().at) return static_cast<double>(points_.back().hashes);
  auto after = std::upper_bound(points_.begin(), points_.end(), t,
                                [](Clock::time_point v, const Point& p) { return v < p.at; });
  const Point& hi = *after;
  const Point& lo = *(after - 1);
  const double span = std::chrono::duration<double>(hi.at - lo.at).count();
  const double into = std::chrono::duration<double>(t - lo.at).count();
  const double rise = static_cast<double>(hi.hashes - lo.hashes);
  return static_cast<double>(lo.hashes) + (span > 0 ? rise * into / span : rise);
}

double HashrateSeries::hashes_between(Clock::time_point from, Clock::time_point to) const {
  if (to <= from) return 0;
  return hashes_at(to) - hashes_at(from);
}

std::optional<double> HashrateSeries::rate(std::chrono::seconds window,
                                           Clock::time_point now) const {
  if (!started_ || window.count() <= 0 || now - window < *started_) return std::nullopt;
  const double seconds = std::chrono::duration<double>(window).count();
  return hashes_between(now - window, now) / seconds;
}

}  // namespace synthminer::telemetry
