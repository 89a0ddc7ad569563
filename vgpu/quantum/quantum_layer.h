// QuantumApproximationLayer: a state-vector simulator for small quantum
// circuits (complex double amplitudes), with seeded, reproducible sampling.
// "Deterministic branching, interference and collapse" in the seed's words
// means: amplitudes interfere exactly, and `shots` measurement outcomes (the
// "branches", 128 per spawn in extreme mode) are drawn with a PRNG seeded
// from the payload, so the same request always gives the same answer.
//
// Payload (JSON):
//   {"qubits": n, "gates": [{"op":"h","q":0}, {"op":"cx","c":0,"t":1},
//    {"op":"rz","q":1,"theta":0.5}, {"op":"ccx","c":[0,1],"t":2},
//    {"op":"swap","a":0,"b":1}, {"op":"measure","q":0}, ...],
//    "shots": k (optional, default options.branches), "seed": s (optional)}
// Result (JSON): {"qubits": n, "shots": k, "seed": s,
//    "counts": {"<bitstring>": count, ...},
//    "probabilities": {"<bitstring>": p, ...} (only when n <= 16)}
// Bitstrings are written qubit n-1 first (qubit 0 is the rightmost character).
// Also in the result: "trajectories" (final states sampled; more than 1 only
// with mid-circuit measurements), "mid_circuit_measurements", and, when
// probabilities are absent, "probabilities_note" saying why. Probabilities
// are exact (the mixture over measurement histories when the circuit
// measures mid-way); outcomes below 1e-15 are left out.
// Gates: h x y z s sdg t tdg {"q"}; rx ry rz p {"q","theta"} (radians; p is
// diag(1, e^{i theta})); cx cz {"c","t"}; cp {"c","t","theta"}; swap
// {"a","b"}; ccx {"c":[c0,c1],"t"}; measure {"q"}. Unknown fields are
// refused. Without "seed", the seed is a digest of payload.dump().
// Or {"qasm": "OPENQASM 2.0; ..."} in place of qubits and gates, with
// "parameters" and "bindings" for a sweep; both shapes take "observables"
// (Pauli strings -> "expectations") and "return_state" (-> "state"):
// quantum_request.h, qasm_parser.h, docs/QUANTUM.md.
// Simulation details: quantum_executor.h (chunked, multi-threaded gate
// application) and quantum_simulator.h (measurement and branching).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "vgpu/payload/op_result.h"
#include "vgpu/payload/payload_limits.h"
#include "vgpu/payload/stop_token.h"

namespace jarvis {

struct QuantumOptions {
  uint32_t branches = 16;                 ///< shots when the payload names none
  uint32_t max_qubits = 28;               ///< refuse larger registers
  uint64_t max_state_bytes = 1ull << 30;  ///< 16 * 2^n bytes must fit in this
  uint32_t max_gates = 1'000'000;         ///< refuse longer circuits
  uint32_t max_shots = 1'000'000;         ///< refuse more samples
  unsigned threads = 0;                   ///< 0: one per hardware thread
  unsigned block_qubits = 16;             ///< cache chunk, 2^b amplitudes (16 B each)
  /// Entries of "counts" (up to min(shots, 2^n)) plus "probabilities" (2^n
  /// when computed) one result may hold; checked before simulating.
  uint64_t max_result_elements = kMaxResultElements;
};

/// Either a run's result or an error that names the payload field at fault.
struct QuantumOutcome {
  bool ok = false;
  std::string error;  ///< when !ok, e.g. "gates[3].q: qubit 7 out of range (qubits = 4)"
  OpError error_kind = OpError::kInvalid;  ///< when !ok
  /// When ok, the result object above; with "output": "tensor" its "state"
  /// is json::binary (the amplitudes' bytes), which Jarvis stores as a tensor.
  nlohmann::json result;
  uint64_t flops = 0;  ///< floating-point operations executed, counted exactly
};

class QuantumApproximationLayer {
 public:
  explicit QuantumApproximationLayer(QuantumOptions options = {});

  /// Validates `payload` and simulates it. Thread-safe (const, no shared
  /// mutable state); runs on the calling thread plus its own worker threads.
  /// Checks `stop` between gate passes, branches and bindings: throws
  /// Stopped (stop_token.h) when it says so.
  QuantumOutcome run(const nlohmann::json& payload, const StopToken& stop = {}) const;

  const QuantumOptions& options() const { return options_; }

 private:
  QuantumOptions options_;
};

}  // namespace jarvis
