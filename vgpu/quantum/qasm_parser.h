// OpenQASM 2.0 source to a circuit of the simulator's gates.
//
// Accepted: the `OPENQASM 2.0;` header; `include "qelib1.inc";` (the library
// is built in, qasm_gates.h); qreg/creg (several; qubits are numbered across
// the qregs in declaration order, the first qreg's qubit 0 is qubit 0);
// gate calls on single qubits (q[1]) or whole registers (h q; cx a, b; the
// registers' sizes must agree); user `gate` definitions with parameters
// (expanded at each call; a body may call built-in and earlier gates);
// parameter expressions; `measure q[i] -> c[j];` and `measure q -> c;`;
// `barrier` (no effect). Refused with a clear message: `reset`, `if`,
// `opaque`, any other include. Every error is "qasm: line:column: what was
// expected or wrong".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vgpu/quantum/qasm_expression.h"
#include "vgpu/quantum/quantum_circuit.h"

namespace jarvis::quantum {

/// The largest source accepted, in bytes.
constexpr size_t kMaxQasmBytes = 1 << 20;
/// How deep user gates may call user gates.
constexpr unsigned kMaxGateNesting = 64;

struct QasmProgram {
  std::string error;  ///< "qasm: 3:7: ..." when not empty; nothing else is valid
  uint32_t qubits = 0;
  std::vector<Gate> gates;
  std::vector<ClassicalRegister> cregs;  ///< in declaration order
};

/// Parses `source`. `parameters` are names (a sweep's, with this binding's
/// values) that expressions may use like pi. At most `max_gates` gates after
/// expansion; registers must fit check_qubits(options, precision).
QasmProgram parse_qasm(std::string_view source, const Symbols& parameters,
                       const QuantumOptions& options, Precision precision = Precision::kFloat64);

}  // namespace jarvis::quantum
