#include "vgpu/quantum_layer.h"

#include <exception>
#include <new>
#include <string>

#include "vgpu/quantum_circuit.h"
#include "vgpu/quantum_simulator.h"

namespace jarvis {
namespace {

// Outcomes below this probability are left out of "probabilities".
constexpr double kMinReportedProbability = 1e-15;

std::string bitstring(uint64_t index, unsigned qubits) {
  std::string s(qubits, '0');
  for (unsigned q = 0; q < qubits; ++q) {
    if ((index >> q) & 1) s[qubits - 1 - q] = '1';
  }
  return s;
}

nlohmann::json result_json(const quantum::Circuit& c, const quantum::Simulation& sim) {
  nlohmann::json result = {{"qubits", c.qubits},
                           {"shots", c.shots},
                           {"seed", c.seed},
                           {"trajectories", sim.trajectories},
                           {"mid_circuit_measurements", sim.mid_measurements}};
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [index, count] : sim.counts) counts[bitstring(index, c.qubits)] = count;
  result["counts"] = std::move(counts);
  if (!sim.probabilities.empty()) {
    nlohmann::json probs = nlohmann::json::object();
    for (uint64_t i = 0; i < sim.probabilities.size(); ++i) {
      if (sim.probabilities[i] >= kMinReportedProbability) {
        probs[bitstring(i, c.qubits)] = sim.probabilities[i];
      }
    }
    result["probabilities"] = std::move(probs);
  } else {
    result["probabilities_note"] = sim.probabilities_note;
  }
  return result;
}

}  // namespace

QuantumApproximationLayer::QuantumApproximationLayer(QuantumOptions options) : options_(options) {}

QuantumOutcome QuantumApproximationLayer::run(const nlohmann::json& payload) const {
  QuantumOutcome outcome;
  try {
    const quantum::ParsedCircuit parsed = quantum::parse_circuit(payload, options_);
    if (!parsed.ok()) {
      outcome.error = parsed.error;
      return outcome;
    }
    const quantum::Simulation sim = quantum::simulate(parsed.circuit, options_);
    if (!sim.error.empty()) {
      outcome.error = sim.error;
      return outcome;
    }
    outcome.result = result_json(parsed.circuit, sim);
    outcome.flops = sim.flops;
    outcome.ok = true;
  } catch (const std::bad_alloc&) {
    outcome = QuantumOutcome{};
    outcome.error = "qubits: the state could not be allocated (out of memory)";
  } catch (const std::exception& e) {
    outcome = QuantumOutcome{};
    outcome.error = std::string("quantum: internal error: ") + e.what();
  }
  return outcome;
}

}  // namespace jarvis
