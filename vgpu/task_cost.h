// A cheap estimate of a payload's work, read from array sizes only (before
// any parsing or validation), for the cluster's routing decision.
#pragma once

#include <nlohmann/json.hpp>

#include "vgpu/adapter_cluster.h"
#include "vgpu/tensor/tensor_store.h"

namespace jarvis {

/// Work units (FLOPs; bytes for hashing) and input bytes of `payload`; a
/// linalg operand given by id takes its shape from `tensors` (when set).
/// Never throws; a malformed payload gets a small estimate (it will be refused).
TaskCost estimate_cost(OperationKind kind, const nlohmann::json& payload,
                       TensorStore* tensors = nullptr);

}  // namespace jarvis
