// A Snapshot as Prometheus metric families (prometheus-cpp's data model,
// which its text serializer escapes and writes). Every built-in family is
// always present; a series appears once its device or pool is known, and a
// hashrate window only once it has history. docs/METRICS.md lists them.
#pragma once

#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "telemetry/snapshot.h"

namespace synthminer::telemetry {

class Registry;

/// The snapshot's families, built-in ones first, then the added families.
std::vector<prometheus::MetricFamily> render_prometheus(const Snapshot& snapshot);

/// The registry in the Prometheus text format, as /metrics serves it (less
/// the exposer's own exposer_* families).
std::string prometheus_text(const Registry& registry);

}  // namespace synthminer::telemetry
