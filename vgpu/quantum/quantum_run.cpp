#include "vgpu/quantum/quantum_run.h"

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include "vgpu/payload/result_limit.h"

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
                           {"precision", precision_name(c.precision)},
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

// The most entries the result can hold: a count per distinct outcome (at
// most one per shot) and, up to kMaxProbabilityQubits, 2^n probabilities.
uint64_t result_entries(const Circuit& c) {
  const uint64_t outcomes = c.qubits < 64 ? uint64_t{1} << c.qubits : UINT64_MAX;
  const uint64_t counts = std::min<uint64_t>(c.shots, outcomes);
  return counts + (c.qubits <= kMaxProbabilityQubits ? outcomes : 0);
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
    if (std::string err =
            result_over_limit(std::to_string(parsed.circuit.shots) + " shots on " +
                                  std::to_string(parsed.circuit.qubits) + " qubits",
                              result_entries(parsed.circuit), options.max_result_elements);
        !err.empty()) {
      outcome.error = std::move(err);
      outcome.error_kind = OpError::kResultTooLarge;
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
