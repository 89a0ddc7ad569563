// The gates an OpenQASM 2.0 program may call without defining them: U and
// CX (always), and the qelib1.inc library (after `include "qelib1.inc";`),
// each written as the simulator's gates. Matrices are those of Qiskit's
// standard gates, global phases included (sx = [[1+i, 1-i], [1-i, 1+i]] / 2,
// U = u3, rz = diag(e^{-i theta/2}, e^{i theta/2}), cu = controlled
// e^{i gamma} u3), so a state can be compared amplitude by amplitude.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "vgpu/quantum/quantum_circuit.h"

namespace jarvis::quantum {

struct QasmBuiltin {
  const char* name;
  unsigned params;
  unsigned qubits;
  bool from_qelib;  ///< only after include "qelib1.inc"
  /// Appends the gate's decomposition for angles `p` (params of them) and
  /// distinct qubits `q` (qubits of them).
  void (*emit)(std::span<const double> p, std::span<const uint32_t> q, std::vector<Gate>& out);
};

/// The built-in gate called `name`, or nullptr.
const QasmBuiltin* find_qasm_builtin(std::string_view name);

/// The names of qelib1.inc's gates that this front end provides, comma-separated.
std::string qelib_gate_names();

}  // namespace jarvis::quantum
