// Plain copies of the registry's numbers at one instant: what the JSON API,
// the console line and the Prometheus collector read. No locks, no
// references into the registry.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/histogram.h"

namespace synthminer::telemetry {

/// Hashes per second over the last 10 s, 60 s and 15 min; each is nullopt
/// until that much history exists.
struct HashrateSnapshot {
  std::optional<double> s10;
  std::optional<double> s60;
  std::optional<double> m15;
};

struct DeviceSnapshot {
  std::string name;
  HashrateSnapshot hashrate;
  uint64_t hashes = 0;                ///< nonces hashed since start
  uint64_t batches = 0;               ///< batches finished, abandoned ones included
  uint64_t abandoned_batches = 0;     ///< cut short by a clean job or stop
  uint64_t candidates = 0;            ///< candidate nonces the device returned, good or bad
  uint64_t candidates_held_back = 0;  ///< past the per-batch bound, dropped unverified
  uint64_t hardware_errors = 0;       ///< candidates that failed CPU re-verification
  /// hardware_errors / candidates; nullopt before any candidate.
  std::optional<double> hardware_error_ratio;
  uint64_t last_batch_nonces = 0;    ///< nonces the latest batch held (the batch size)
  double last_batch_seconds = 0;     ///< wall time of the latest complete batch
  HistogramSnapshot batch_duration;  ///< seconds, complete batches only
};

struct ShareCounts {
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t stale = 0;
  double accepted_difficulty = 0;  ///< sum of the difficulty of accepted shares
};

struct PoolSnapshot {
  std::string name;
  bool up = false;        ///< connected and subscribed
  double difficulty = 0;  ///< the pool's current share difficulty; 0 before one is known
  ShareCounts shares;
  std::map<std::string, uint64_t> rejected_by_reason;  ///< sanitised, capped reasons
  std::map<std::string, uint64_t> stale_by_reason;
  std::map<std::string, uint64_t> disconnects_by_cause;  ///< sanitised, capped causes
  HistogramSnapshot submit_rtt;                          ///< seconds, submit to the pool's answer
};

struct BuildInfo {
  std::string version = "unknown";
  std::string commit = "unknown";
};

struct SummarySnapshot {
  BuildInfo build;
  double uptime_seconds = 0;  ///< since the registry was made
  HashrateSnapshot hashrate;  ///< all devices together
  uint64_t hashes = 0;
  uint64_t hardware_errors = 0;
  ShareCounts shares;  ///< all pools together
  size_t devices = 0;
  size_t pools = 0;
  size_t pools_up = 0;
  uint64_t reloads_succeeded = 0;
  uint64_t reloads_failed = 0;
  HistogramSnapshot job_switch;  ///< seconds, clean job to a device's first batch of it
  /// The daemon's listeners ("metrics", "api"): "" when serving, else why
  /// the bind failed (it is retried).
  std::map<std::string, std::string, std::less<>> listeners;
};

enum class FamilyKind { kCounter, kGauge };

/// A family registered through Registry::add_family (vgpu and later ones).
struct FamilySnapshot {
  std::string name;
  std::string help;
  FamilyKind kind = FamilyKind::kCounter;
  std::vector<std::string> label_names;
  /// Label values (one per label name) and the value, in label order.
  std::vector<std::pair<std::vector<std::string>, double>> series;
};

struct Snapshot {
  SummarySnapshot summary;
  std::vector<DeviceSnapshot> devices;  ///< in the order they were first seen
  std::vector<PoolSnapshot> pools;      ///< in the order they were first seen
  std::vector<FamilySnapshot> families;
};

}  // namespace synthminer::telemetry
