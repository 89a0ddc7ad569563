// StopToken: how a running vgpu task learns that it must end now: its job
// was cancelled, the job's deadline passed, the daemon is shutting down (so a
// stop is not held up by a long task), or the workers are being rebuilt by a
// reload (preempted: the service runs the task again on the new ones). The layers
// check it between steps that each take a bounded time (a gate pass over the
// state, a measurement branch, a binding of a sweep) and throw Stopped, which
// unwinds to Jarvis5090X::run: the task ends with OpError::kCancelled,
// kDeadlinePassed, kShutdown or kPreempted and nothing is cached. A default
// token never stops.
// A check costs an atomic load, plus a clock read when there is a deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

namespace jarvis {

enum class StopReason : uint8_t { kNone, kCancelled, kDeadlinePassed, kShutdown, kPreempted };

/// The service-wide side of every task's token.
struct ServiceStop {
  std::atomic<bool> shutdown{false};  ///< raised once, when the daemon stops
  std::atomic<uint64_t> epoch{0};     ///< bumped to preempt the tasks running now
};

/// Thrown by StopToken::check. Deliberately not a std::exception: the layers
/// turn std::exception into an error value where it is thrown ("internal
/// error"), and a stop must pass them to Jarvis5090X::run untouched.
struct Stopped {
  StopReason reason = StopReason::kCancelled;
};

class StopToken {
 public:
  using Clock = std::chrono::steady_clock;

  /// Never stops.
  StopToken() = default;
  /// Stops once `*cancelled` is true or, when given, once `deadline` is reached.
  StopToken(std::shared_ptr<const std::atomic<bool>> cancelled,
            std::optional<Clock::time_point> deadline)
      : cancelled_(std::move(cancelled)), deadline_(deadline) {}

  /// This token, also stopping once `service` shuts down (kShutdown) or its
  /// epoch moves on from the one it has now (kPreempted).
  StopToken also_on(std::shared_ptr<const ServiceStop> service) const {
    StopToken token = *this;
    token.epoch_ = service->epoch.load();
    token.service_ = std::move(service);
    return token;
  }

  /// Why the task should stop now, or kNone.
  StopReason reason() const {
    if (service_) {
      if (service_->shutdown.load(std::memory_order_relaxed)) return StopReason::kShutdown;
      if (service_->epoch.load(std::memory_order_relaxed) != epoch_) return StopReason::kPreempted;
    }
    if (cancelled_ && cancelled_->load(std::memory_order_relaxed)) return StopReason::kCancelled;
    if (deadline_ && Clock::now() >= *deadline_) return StopReason::kDeadlinePassed;
    return StopReason::kNone;
  }
  /// Throws Stopped when reason() is not kNone.
  void check() const {
    if (const StopReason r = reason(); r != StopReason::kNone) throw Stopped{r};
  }

 private:
  std::shared_ptr<const std::atomic<bool>> cancelled_;
  std::optional<Clock::time_point> deadline_;
  std::shared_ptr<const ServiceStop> service_;
  uint64_t epoch_ = 0;
};

}  // namespace jarvis
