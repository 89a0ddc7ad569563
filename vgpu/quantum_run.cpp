#include "vgpu/quantum_run.h"

#include <exception>
#include <new>
#include <string>

namespace jarvis::quantum {
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

nlohmann::json result_json(const Circuit& c, const Simulation& sim) {
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

QuantumOutcome run_payload(const nlohmann::json& payload, const QuantumOptions& options,
                           const std::function<Simulation(const Circuit&)>& simulate) {
  QuantumOutcome outcome;
  try {
    const ParsedCircuit parsed = parse_circuit(payload, options);
    if (!parsed.ok()) {
      outcome.error = parsed.error;
      return outcome;
    }
    const Simulation sim = simulate(parsed.circuit);
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

}  // namespace jarvis::quantum
