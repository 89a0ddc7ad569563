// StopToken: how a running vgpu task learns that its answer is no longer
// wanted: its job was cancelled, the job's deadline passed, or the daemon is
// shutting down (so a stop is not held up by a long task). The layers
// check it between steps that each take a bounded time (a gate pass over the
// state, a measurement branch, a binding of a sweep) and throw Stopped, which
// unwinds to Jarvis5090X::run: the task ends with OpError::kCancelled,
// kDeadlinePassed or kShutdown and nothing is cached. A default token never
// stops.
// A check costs an atomic load, plus a clock read when there is a deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

namespace jarvis {

enum class StopReason : uint8_t { kNone, kCancelled, kDeadlinePassed, kShutdown };

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

  /// This token, also stopping (kShutdown) once `*shutdown` is true.
  StopToken also_on_shutdown(std::shared_ptr<const std::atomic<bool>> shutdown) const {
    StopToken token = *this;
    token.shutdown_ = std::move(shutdown);
    return token;
  }

  /// Why the task should stop now, or kNone.
  StopReason reason() const {
    if (shutdown_ && shutdown_->load(std::memory_order_relaxed)) return StopReason::kShutdown;
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
  std::shared_ptr<const std::atomic<bool>> shutdown_;
};

}  // namespace jarvis
