#include "vgpu/quantum/quantum_run.h"

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include "vgpu/payload/result_limit.h"
#include "vgpu/quantum/quantum_request.h"

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

// Classical bits as Qiskit writes them: the last creg first, registers
// separated by a space, each register's highest bit leftmost ("01 1").
std::string clbit_string(uint64_t bits, const std::vector<ClassicalRegister>& cregs) {
  std::string s;
  uint32_t offset = 0;
  for (const ClassicalRegister& r : cregs) {
    std::string reg(r.size, '0');
    for (uint32_t j = 0; j < r.size; ++j) {
      if ((bits >> (offset + j)) & 1) reg[r.size - 1 - j] = '1';
    }
    s = s.empty() ? reg : reg + " " + s;
    offset += r.size;
  }
  return s;
}

nlohmann::json result_json(const Circuit& c, const Simulation& sim, bool state_as_tensor) {
  nlohmann::json result = {{"qubits", c.qubits},
                           {"shots", c.shots},
                           {"seed", c.seed},
                           {"precision", precision_name(c.precision)},
                           {"trajectories", sim.trajectories},
                           {"mid_circuit_measurements", sim.mid_measurements}};
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [index, count] : sim.counts) counts[bitstring(index, c.qubits)] = count;
  result["counts"] = std::move(counts);
  if (!c.cregs.empty()) {
    if (clbit_count(c) <= kMaxReportedClbits) {
      nlohmann::json by_clbits = nlohmann::json::object();
      for (const auto& [bits, count] : sim.clbit_counts)
        by_clbits[clbit_string(bits, c.cregs)] = count;
      result["clbit_counts"] = std::move(by_clbits);
    } else {
      result["clbit_counts_note"] = "not reported above 64 classical bits";
    }
  }
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
  if (!c.observables.empty()) result["expectations"] = sim.expectations;
  if (c.return_state && state_as_tensor) {
    // Bytes for the tensor store: std::complex<double> is (re, im) in memory.
    const auto* bytes = reinterpret_cast<const uint8_t*>(sim.state.data());
    result["state"] = nlohmann::json::binary(
        std::vector<uint8_t>(bytes, bytes + sim.state.size() * sizeof(Complex)));
  } else if (c.return_state) {
    nlohmann::json state = nlohmann::json::array();
    for (const Complex& a : sim.state) state.push_back({a.real(), a.imag()});
    result["state"] = std::move(state);
  }
  return result;
}

// The most entries the result can hold: a count per distinct outcome (at
// most one per shot) and, up to kMaxProbabilityQubits, 2^n probabilities.
uint64_t result_entries(const Circuit& c) {
  const uint64_t outcomes = c.qubits < 64 ? uint64_t{1} << c.qubits : UINT64_MAX;
  // Counts by qubits, and by classical bits too for an OpenQASM circuit with cregs.
  const uint64_t counts = std::min<uint64_t>(c.shots, outcomes) * (c.cregs.empty() ? 1 : 2);
  return counts + (c.qubits <= kMaxProbabilityQubits ? outcomes : 0) + c.observables.size() +
         (c.return_state ? 2 * outcomes : 0);
}

}  // namespace

QuantumOutcome run_payload(const nlohmann::json& payload, const QuantumOptions& options,
                           const std::function<Simulation(const Circuit&)>& simulate,
                           const StopToken& stop) {
  QuantumOutcome outcome;
  try {
    ParsedRequest parsed = parse_request(payload, options);
    if (!parsed.ok()) {
      outcome.error = std::move(parsed.error);
      outcome.error_kind = parsed.error_kind;
      return outcome;
    }
    const QuantumRequest& request = parsed.request;
    const size_t runs = request.runs();
    // Every run has the same registers, shots and outputs, so run 0 sizes them all.
    const Circuit& first = request.first;
    if (std::string err =
            result_over_limit((runs > 1 ? std::to_string(runs) + " runs of " : std::string()) +
                                  std::to_string(first.shots) + " shots on " +
                                  std::to_string(first.qubits) + " qubits",
                              result_entries(first) * runs, options.max_result_elements);
        !err.empty()) {
      outcome.error = std::move(err);
      outcome.error_kind = OpError::kResultTooLarge;
      return outcome;
    }
    nlohmann::json results = nlohmann::json::array();
    for (size_t run = 0; run < runs; ++run) {
      stop.check();
      const ParsedCircuit circuit = request_circuit(request, run, options);
      if (!circuit.ok()) {
        outcome.error = circuit.error;
        return outcome;
      }
      const Simulation sim = simulate(circuit.circuit);
      if (!sim.error.empty()) {
        outcome.error =
            runs > 1 ? "bindings[" + std::to_string(run) + "]: " + sim.error : sim.error;
        return outcome;
      }
      results.push_back(result_json(circuit.circuit, sim, request.state_as_tensor));
      outcome.flops += sim.flops;
    }
    if (request.bindings.empty()) {
      outcome.result = std::move(results[0]);
    } else {
      outcome.result = {{"runs", runs}, {"results", std::move(results)}};
    }
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
