// FaultSchedule: every fault DemoPool can inject, once a second: the ones
// that end the miner's connection (a drop, an over-long line, client.reconnect,
// unanswered submits) once a minute each at fixed seconds, the harmless ones
// (garbage, long lines, hostile messages, requests, jobs) from a seeded random
// generator, so that a soak run is the same run each time.
//
// Kept mild enough that a miner stays mostly connected: four reconnects a
// minute, each about a second's back-off.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "demo_pool/demo_pool.h"

namespace synthminer::soak {

struct ScheduleOptions {
  double difficulty = 1;  ///< the base share difficulty; every 10 s it doubles or comes back
  std::chrono::seconds difficulty_interval{10};
  uint64_t seed = 13;
  uint16_t port = 0;  ///< the pool's own port, for client.reconnect to the same host
};

class FaultSchedule {
 public:
  FaultSchedule(demo_pool::DemoPool& pool, ScheduleOptions options);

  /// Runs what is due at `second` (seconds since the start, called once for
  /// each whole second in order).
  void tick(uint64_t second);

  /// How many times each fault was injected, by name.
  const std::map<std::string, uint64_t>& counts() const { return counts_; }

 private:
  bool chance(uint32_t one_in);  ///< true once in `one_in` on average
  void inject(const std::string& name, uint64_t second);
  void end_windows(uint64_t second);

  demo_pool::DemoPool& pool_;
  ScheduleOptions options_;
  std::mt19937_64 rng_;  // raw draws only: the same sequence on every platform
  std::map<std::string, uint64_t> counts_;
  uint64_t delay_until_ = 0;       ///< response delay window ends at this second
  uint64_t unanswered_until_ = 0;  ///< unanswered-submit window ends at this second
  bool high_difficulty_ = false;
};

}  // namespace synthminer::soak
