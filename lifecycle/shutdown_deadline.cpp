#include "lifecycle/shutdown_deadline.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace synthminer::lifecycle {

ShutdownDeadline::ShutdownDeadline(Expired on_expired) : on_expired_(std::move(on_expired)) {}

ShutdownDeadline::~ShutdownDeadline() {
  disarm();
}

void ShutdownDeadline::arm(std::chrono::milliseconds limit) {
  std::lock_guard lock(mutex_);
  if (armed_ || disarmed_) return;
  armed_ = true;
  thread_ = std::thread([this, limit] {
    std::unique_lock wait_lock(mutex_);
    if (wake_.wait_for(wait_lock, limit, [this] { return disarmed_; })) return;
    wait_lock.unlock();
    on_expired_(limit);
  });
}

void ShutdownDeadline::disarm() {
  {
    std::lock_guard lock(mutex_);
    disarmed_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool ShutdownDeadline::armed() const {
  std::lock_guard lock(mutex_);
  return armed_ && !disarmed_;
}

void ShutdownDeadline::exit_now(std::chrono::milliseconds limit) {
  spdlog::error(
      "stop: not finished {:.1f} s after it began; exiting now (shares still in flight "
      "are lost)",
      std::chrono::duration<double>(limit).count());
  spdlog::default_logger()->flush();
  std::_Exit(kExitStopTimedOut);
}

}  // namespace synthminer::lifecycle
