// ShutdownDeadline: the backstop that bounds how long a stop may take.
//
// SIGTERM must end the process within the drain window plus a second,
// whatever the load. The stop path is bounded on its own (hashing stops,
// the drain waits at most its window); this covers what is not, such as a
// worker deep in a long vgpu task or a device call that hangs. arm() starts
// a thread; unless disarm() comes first, it calls `on_expired` when the
// limit has passed. The default ends the process at once (std::_Exit with
// kExitStopTimedOut) after one log line: a stop that overran is a fault,
// and systemd should see it as one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace synthminer::lifecycle {

/// The exit status when a stop overran its deadline.
inline constexpr int kExitStopTimedOut = 1;

class ShutdownDeadline {
 public:
  using Expired = std::function<void(std::chrono::milliseconds limit)>;

  explicit ShutdownDeadline(Expired on_expired = exit_now);
  ~ShutdownDeadline();  ///< disarms
  ShutdownDeadline(const ShutdownDeadline&) = delete;
  ShutdownDeadline& operator=(const ShutdownDeadline&) = delete;

  /// Starts the clock: `on_expired` runs `limit` from now unless disarmed.
  /// A second arm() keeps the first deadline.
  void arm(std::chrono::milliseconds limit);
  /// The stop finished: `on_expired` will not run. Any thread.
  void disarm();
  bool armed() const;

  /// Logs that the stop overran, flushes the log and ends the process.
  static void exit_now(std::chrono::milliseconds limit);

 private:
  Expired on_expired_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  bool disarmed_ = false;
  std::thread thread_;
};

}  // namespace synthminer::lifecycle
