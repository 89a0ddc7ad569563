// JSON renderings of the snapshots, the bodies of the API's GET /1/summary,
// /1/devices and /1/pools. Rates in hashes per second, times in seconds; a
// window without enough history is null.
#pragma once

#include <nlohmann/json.hpp>

#include "telemetry/snapshot.h"

namespace synthminer::telemetry {

/// {"10s": H/s|null, "60s": …, "15m": …}
void to_json(nlohmann::json& j, const HashrateSnapshot& s);
/// {"count", "sum_seconds", "mean_seconds", "buckets": [{"le", "count"}…]}
nlohmann::json histogram_json(const HistogramSnapshot& s);
void to_json(nlohmann::json& j, const DeviceSnapshot& s);
void to_json(nlohmann::json& j, const PoolSnapshot& s);
void to_json(nlohmann::json& j, const SummarySnapshot& s);

/// GET /1/summary body.
nlohmann::json summary_json(const SummarySnapshot& summary);
/// GET /1/devices body: {"devices": [...]}.
nlohmann::json devices_json(const std::vector<DeviceSnapshot>& devices);
/// GET /1/pools body: {"pools": [...]}.
nlohmann::json pools_json(const std::vector<PoolSnapshot>& pools);

}  // namespace synthminer::telemetry
