// The one-line status the console logs every few seconds and systemd shows
// (sd_notify STATUS=), read from the same summary as the API and /metrics.
#pragma once

#include <optional>
#include <string>

#include "telemetry/snapshot.h"

namespace synthminer::telemetry {

/// A rate in MH/s with two decimals ("12.34"), or "n/a" without enough history.
std::string format_mhs(const std::optional<double>& hashes_per_second);

/// "speed 10s/60s/15m 12.34 12.10 n/a MH/s | accepted 10 rejected 1 stale 0
/// | hw errors 0 | pools up 1/1"
std::string status_line(const SummarySnapshot& summary);

}  // namespace synthminer::telemetry
