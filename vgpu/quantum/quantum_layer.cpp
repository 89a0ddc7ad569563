#include "vgpu/quantum/quantum_layer.h"

#include "vgpu/quantum/quantum_run.h"

namespace jarvis {

QuantumApproximationLayer::QuantumApproximationLayer(QuantumOptions options) : options_(options) {}

QuantumOutcome QuantumApproximationLayer::run(const nlohmann::json& payload,
                                              const StopToken& stop) const {
  return quantum::run_payload(
      payload, options_,
      [this, &stop](const quantum::Circuit& circuit) {
        return quantum::simulate(circuit, options_, stop);
      },
      stop);
}

}  // namespace jarvis
