// One quantum payload from JSON to JSON, with the simulation step supplied by
// the caller: the host layer (QuantumApproximationLayer) and a GPU executor
// share the validation, the result format and the error handling.
#pragma once

#include <functional>

#include <nlohmann/json.hpp>

#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_simulator.h"

namespace jarvis::quantum {

/// Parses `payload` under `options` (errors name the field), refuses a
/// result that could pass options.max_result_elements (kResultTooLarge), runs the
/// circuit with `simulate` and formats the result (quantum_layer.h).
/// std::bad_alloc and other exceptions from `simulate` become errors; only
/// Stopped passes: `stop` is checked before each run of a sweep, and
/// `simulate` may check it too.
QuantumOutcome run_payload(const nlohmann::json& payload, const QuantumOptions& options,
                           const std::function<Simulation(const Circuit&)>& simulate,
                           const StopToken& stop = {});

}  // namespace jarvis::quantum
