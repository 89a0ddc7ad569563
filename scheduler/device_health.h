// DeviceHealth: the hardware-error record of one device. Each verified
// candidate counts as good or bad over a sliding window; an error rate at
// or above the back-off threshold backs the device off (it recovers when
// the rate falls again), one at or above the disable threshold disables it
// for good, with the reason.
//
// Design: not thread-safe; the Verifier guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

namespace synthminer::scheduler {

struct HealthPolicy {
  size_t window = 100;         ///< candidates the error rate is taken over
  size_t min_samples = 10;     ///< no verdict before this many candidates
  double backoff_rate = 0.05;  ///< error fraction that backs the device off
  double disable_rate = 0.25;  ///< error fraction that disables it
};

enum class DeviceState { kHealthy, kBackedOff, kDisabled };
const char* to_string(DeviceState state);

class DeviceHealth {
 public:
  explicit DeviceHealth(HealthPolicy policy = {}) : policy_(policy) {}

  /// Records one verified candidate: `ok` false for a hardware error.
  void record(bool ok);
  /// Judges later candidates by `policy` (a disabled device stays so).
  void set_policy(HealthPolicy policy) { policy_ = policy; }
  /// Disables the device for good (it failed outright, e.g. a CUDA error).
  void disable(std::string reason) {
    state_ = DeviceState::kDisabled;
    reason_ = std::move(reason);
  }

  DeviceState state() const { return state_; }
  /// Errors / candidates over the window, 0..1.
  double error_rate() const;
  /// Why the device was backed off or disabled; empty when healthy.
  const std::string& reason() const { return reason_; }
  uint64_t candidates() const { return candidates_; }
  uint64_t hardware_errors() const { return errors_; }

 private:
  HealthPolicy policy_;
  std::deque<bool> recent_;  ///< true: a hardware error
  size_t recent_errors_ = 0;
  uint64_t candidates_ = 0;
  uint64_t errors_ = 0;
  DeviceState state_ = DeviceState::kHealthy;
  std::string reason_;
};

}  // namespace synthminer::scheduler
