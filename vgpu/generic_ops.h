// The `generic` workload: reductions and sorting over arrays of numbers.
//
// Payload: {"operation": "sum" | "mean" | "min" | "max" | "sort" | "histogram" | "dot",
//           "values": [x, ...],
//           "other": [y, ...]          (dot: same length as values),
//           "bins": k                  (histogram; default 10),
//           "range": [lo, hi]          (histogram; default [min, max] of values),
//           "descending": bool         (sort; default false)}
// Result: {"value": number | array, "count": n} and, for histogram, "edges"
// (k + 1 bin edges; a value equal to hi falls in the last bin, values outside
// [lo, hi] are counted in "outside").
#pragma once

#include <nlohmann/json.hpp>

#include "vgpu/payload/op_result.h"
#include "vgpu/payload/payload_limits.h"

namespace jarvis {

/// Runs one generic payload; never throws.
OpResult run_generic(const nlohmann::json& payload, const PayloadLimits& limits);

}  // namespace jarvis
