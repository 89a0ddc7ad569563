// What changed between two configs, so a reload (SIGHUP) applies only that.
// Each flag tells the daemon which module to hand new options to; the
// settings that cannot change while running are listed in needs_restart by
// JSON path, for the daemon to log and leave as they were.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "config/config.h"

namespace synthminer::config {

struct ConfigDiff {
  /// Any pool entry added, removed, reordered or edited.
  bool pools_changed = false;
  /// Indexes into the old pool list whose entry is gone or differs in the new one.
  std::vector<size_t> changed_pools;
  bool stratum_changed = false;  ///< client-wide "stratum" settings

  bool log_level_changed = false;

  bool cpu_enabled_changed = false;
  bool cpu_threads_changed = false;
  bool cpu_affinity_changed = false;
  bool cpu_backend_changed = false;
  bool cuda_enabled_changed = false;
  bool cuda_devices_changed = false;
  bool cuda_kernel_changed = false;  ///< kernel or rolls_per_thread

  bool scheduler_changed = false;  ///< batch targets, error threshold, stall factor

  bool api_token_changed = false;

  /// JSON paths of every setting that changed ("/pools/1", "/logging/level", …).
  std::vector<std::string> changed;
  /// JSON paths of changed settings that only take effect after a restart:
  /// "/metrics/listen", "/metrics/enabled", "/api/listen".
  std::vector<std::string> needs_restart;

  /// True when the pool at `active_index` of the old list is gone or edited.
  bool active_pool_changed(size_t active_index) const;
  bool devices_changed() const;
  bool empty() const { return changed.empty(); }
};

/// Compares `old` with `now` field by field.
ConfigDiff diff(const Config& old, const Config& now);

}  // namespace synthminer::config
