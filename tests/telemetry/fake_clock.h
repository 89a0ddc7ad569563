// A scripted clock for the registry and the hashrate series.
#pragma once

#include <chrono>
#include <memory>

#include "telemetry/registry.h"

namespace synthminer::telemetry::test {

class FakeClock {
 public:
  Clock::time_point now() const { return *now_; }
  void advance(double seconds) {
    *now_ += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }
  /// A NowFn reading this clock (shares its state, so it may outlive it).
  NowFn fn() const {
    return [state = now_] { return *state; };
  }

 private:
  std::shared_ptr<Clock::time_point> now_ =
      std::make_shared<Clock::time_point>(Clock::time_point{} + std::chrono::hours(1));
};

}  // namespace synthminer::telemetry::test
