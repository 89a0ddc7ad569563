// Which pool to use: failover after N consecutive failures, failback to a
// higher-priority pool once probes have shown it healthy for a while.
//
// Pure policy, no I/O: the client reports what happened, with the time, and
// asks where to go. Pools are in priority order (0 is preferred).
//
// Hysteresis, so a pool that comes and goes does not make us flap:
//  - a higher pool must pass probes continuously for `failback_after` (the
//    first and the latest successful probe at least that far apart, no
//    failure between) before we return to it;
//  - we stay at least `min_dwell` on a pool we switched to;
//  - a pool we failed back to and left again within its required healthy
//    time must be healthy twice as long next time (up to 16x), and is
//    forgiven once it keeps us that long.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "stratum/client_options.h"

namespace synthminer::stratum {

class FailoverPolicy {
 public:
  using Clock = std::chrono::steady_clock;

  FailoverPolicy(size_t pool_count, FailoverOptions options, Clock::time_point now);

  size_t current() const { return current_; }
  uint32_t failures() const { return failures_; }

  /// A connection attempt or a session on the current pool failed. After
  /// `failures_before_failover` in a row, moves to the next pool (wrapping
  /// round). Returns true when the current pool changed.
  bool on_failure(Clock::time_point now);

  /// The current pool served work (authorized, a job arrived): its failure
  /// count starts again from zero.
  void on_healthy();

  /// Pools that should be probed now: those ahead of the current one.
  std::vector<size_t> probe_candidates() const;

  /// The outcome of probing a pool ahead of the current one.
  void on_probe(size_t pool, bool ok, Clock::time_point now);

  /// The best higher-priority pool that has earned a failback, if any.
  std::optional<size_t> failback_target(Clock::time_point now) const;

  /// Moves to `pool` (a failback or an operator's choice).
  void switch_to(size_t pool, Clock::time_point now);

  /// How long `pool` must be seen healthy before a failback (with penalty).
  Clock::duration required_healthy(size_t pool) const { return pools_.at(pool).required; }

 private:
  struct PoolHealth {
    std::optional<Clock::time_point> healthy_since;  ///< first ok probe of the current run
    std::optional<Clock::time_point> last_ok;        ///< latest ok probe of that run
    Clock::duration required{};
  };

  FailoverOptions options_;
  std::vector<PoolHealth> pools_;
  size_t current_ = 0;
  uint32_t failures_ = 0;
  bool failed_back_ = false;  ///< we came to current_ by a failback
  Clock::time_point switched_at_;
};

}  // namespace synthminer::stratum
