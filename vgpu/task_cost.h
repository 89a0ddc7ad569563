// A cheap estimate of a payload's work, read from array sizes only (before
// any parsing or validation), for the cluster's routing decision.
#pragma once

#include <nlohmann/json.hpp>

#include "vgpu/adapter_cluster.h"

namespace jarvis {

/// Work units (FLOPs; bytes for hashing) and input bytes of `payload`.
/// Never throws; a malformed payload gets a small estimate (it will be refused).
TaskCost estimate_cost(OperationKind kind, const nlohmann::json& payload);

}  // namespace jarvis
