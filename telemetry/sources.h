// What the registry reads from the modules that own a count, instead of
// counting it again: the pool client's share ledger owns share fates, their
// reasons and submit round trips; the scheduler's verifier owns each
// device's verified candidates and hardware errors. The daemon hands the
// registry a function for each that returns plain copies (any thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "telemetry/histogram.h"
#include "telemetry/snapshot.h"

namespace synthminer::telemetry {

/// One pool's shares as the share ledger counts them. Reasons are the
/// ledger's keys; the registry sanitises and caps them as labels.
struct PoolShareFigures {
  std::string pool;
  ShareCounts shares;
  std::map<std::string, uint64_t> rejected_by_reason;
  std::map<std::string, uint64_t> stale_by_reason;
  HistogramSnapshot submit_rtt;  ///< seconds, a share written to the pool's answer
};

/// One device's candidates as the verifier judged them.
struct DeviceCheckFigures {
  std::string device;
  uint64_t candidates = 0;       ///< candidates verified, good or bad
  uint64_t hardware_errors = 0;  ///< candidates that failed CPU re-verification
};

using ShareSource = std::function<std::vector<PoolShareFigures>()>;
using CheckSource = std::function<std::vector<DeviceCheckFigures>()>;

}  // namespace synthminer::telemetry
