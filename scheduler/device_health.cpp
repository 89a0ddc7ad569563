#include "scheduler/device_health.h"

#include <cstdio>

namespace synthminer::scheduler {

const char* to_string(DeviceState state) {
  switch (state) {
    case DeviceState::kHealthy:
      return "healthy";
    case DeviceState::kBackedOff:
      return "backed off";
    case DeviceState::kDisabled:
      return "disabled";
  }
  return "unknown";
}

void DeviceHealth::record(bool ok) {
  ++candidates_;
  if (!ok) ++errors_;
  recent_.push_back(!ok);
  if (!ok) ++recent_errors_;
  while (recent_.size() > (policy_.window == 0 ? 1 : policy_.window)) {
    if (recent_.front()) --recent_errors_;
    recent_.pop_front();
  }
  if (state_ == DeviceState::kDisabled || recent_.size() < policy_.min_samples) return;

  const double rate = error_rate();
  char text[96];
  std::snprintf(text, sizeof text, "hardware error rate %.1f%% over %zu candidates", rate * 100,
                recent_.size());
  if (rate >= policy_.disable_rate) {
    state_ = DeviceState::kDisabled;
    reason_ = text;
  } else if (rate >= policy_.backoff_rate) {
    state_ = DeviceState::kBackedOff;
    reason_ = text;
  } else {
    state_ = DeviceState::kHealthy;
    reason_.clear();
  }
}

double DeviceHealth::error_rate() const {
  if (recent_.empty()) return 0;
  return static_cast<double>(recent_errors_) / static_cast<double>(recent_.size());
}

}  // namespace synthminer::scheduler
