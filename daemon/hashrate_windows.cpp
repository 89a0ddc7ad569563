#include "daemon/hashrate_windows.h"

namespace synthminer::daemon {

void HashrateWindows::sample(uint64_t total_hashes, Clock::time_point now) {
  samples_.push_back({now, total_hashes});
  const auto keep = std::chrono::seconds(15 * 60 + 2);
  while (samples_.size() > 2 && now - samples_[1].at >= keep) samples_.pop_front();
}

std::optional<double> HashrateWindows::rate(std::chrono::seconds window) const {
  if (samples_.size() < 2) return std::nullopt;
  const Sample& last = samples_.back();
  // The newest sample at least `window` old.
  for (auto it = samples_.rbegin(); it != samples_.rend(); ++it) {
    if (last.at - it->at >= window) {
      const double seconds = std::chrono::duration<double>(last.at - it->at).count();
      return static_cast<double>(last.hashes - it->hashes) / seconds;
    }
  }
  return std::nullopt;
}

}  // namespace synthminer::daemon
