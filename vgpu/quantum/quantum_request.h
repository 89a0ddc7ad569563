// A quantum request as the layer receives it: the circuit in one of two
// shapes, what to report beyond counts, and an optional parameter sweep.
//
//   {"qubits": n, "gates": [...]}      the JSON gate list (quantum_circuit.h)
//   {"qasm": "OPENQASM 2.0; ..."}      OpenQASM 2.0 (qasm_parser.h)
// with, in both shapes: "shots", "seed", "observables": ["ZZI", ...] (Pauli
// strings, quantum_observables.h), "return_state": true and "output":
// "tensor" (the state becomes a stored complex128 tensor; the front,
// jarvis.cpp, stores it: here it is only checked); and with qasm
// only: "parameters": ["theta", ...] (names the source may use in angle
// expressions) and "bindings": [{"theta": 0.1}, ...] (one run each).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vgpu/payload/op_result.h"
#include "vgpu/quantum/qasm_expression.h"
#include "vgpu/quantum/quantum_circuit.h"

namespace jarvis::quantum {

/// Most runs one request may sweep over.
constexpr size_t kMaxBindings = 1024;
/// Most Pauli strings one request may ask for.
constexpr size_t kMaxObservables = 1024;
/// Most amplitudes "return_state" may return (2^20: 16 MiB of doubles).
constexpr uint64_t kMaxReturnedAmplitudes = uint64_t{1} << 20;

struct QuantumRequest {
  Circuit first;                  ///< the circuit, or the QASM program at bindings[0]
  std::string qasm;               ///< the source; empty for the JSON gate list
  std::vector<Symbols> bindings;  ///< empty: one run without a sweep
  /// "output": "tensor": the result's "state" is json::binary, the
  /// amplitudes' bytes (interleaved re, im doubles) for the tensor store,
  /// not 2^n JSON pairs (state_tensor.h takes it from there).
  bool state_as_tensor = false;
  size_t runs() const { return bindings.empty() ? 1 : bindings.size(); }
};

struct ParsedRequest {
  QuantumRequest request;
  std::string error;  ///< the field and the reason, when not empty
  OpError error_kind = OpError::kInvalid;
  bool ok() const { return error.empty(); }
};

/// Parses and validates `payload` under `options`. Parses the circuit of
/// run 0; a too-large "return_state" is refused as kResultTooLarge.
ParsedRequest parse_request(const nlohmann::json& payload, const QuantumOptions& options);

/// The circuit of run `run` (< request.runs()): run 0's is request.first;
/// a later one is parsed again with that binding's values, and its error
/// starts with "bindings[run]: ".
ParsedCircuit request_circuit(const QuantumRequest& request, size_t run,
                              const QuantumOptions& options);

}  // namespace jarvis::quantum
