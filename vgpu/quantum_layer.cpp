#include "vgpu/quantum_layer.h"

namespace jarvis {

QuantumApproximationLayer::QuantumApproximationLayer(QuantumOptions options)
    : options_(options) {}

QuantumOutcome QuantumApproximationLayer::run(const nlohmann::json& /*payload*/) const {
  QuantumOutcome outcome;
  outcome.error = "quantum: the simulator is not built yet";
  return outcome;
}

}  // namespace jarvis
