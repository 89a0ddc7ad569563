// The registry's histograms (common/histogram.h) and the bucket bounds it
// uses, in seconds.
#pragma once

#include <vector>

#include "common/histogram.h"

namespace synthminer::telemetry {

using common::Histogram;
using common::HistogramSnapshot;
using common::submit_rtt_buckets;

/// Batch wall time, seconds: 1 ms to 10 s.
std::vector<double> batch_duration_buckets();
/// Job switch latency, seconds: 0.5 ms to 2.5 s.
std::vector<double> job_switch_buckets();

}  // namespace synthminer::telemetry
