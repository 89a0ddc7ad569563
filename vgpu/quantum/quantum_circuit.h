// A quantum circuit as the QuantumApproximationLayer receives it, parsed and
// validated from its JSON payload. Parsing never throws: a payload that is
// not a valid circuit gives an error that names the field and the reason.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/quantum/quantum_observables.h"
#include "vgpu/quantum/quantum_precision.h"

namespace jarvis::quantum {

enum class GateKind : uint8_t {
  kH,
  kX,
  kY,
  kZ,
  kS,
  kSdg,
  kT,
  kTdg,
  kRx,  ///< exp(-i theta X / 2)
  kRy,  ///< exp(-i theta Y / 2)
  kRz,  ///< exp(-i theta Z / 2) = diag(e^{-i theta/2}, e^{i theta/2})
  kP,   ///< phase: diag(1, e^{i theta})
  kCx,
  kCz,
  kCp,  ///< controlled phase: e^{i theta} on |11>
  kSwap,
  kCcx,
  kMeasure,
  kU,      ///< e^{i gamma} u3(theta, phi, lambda) (OpenQASM front end)
  kCu,     ///< kU on q[1] controlled by q[0]
  kCswap,  ///< swap q[1], q[2] when q[0] is 1
};

/// The payload name of a gate kind ("h", "cx", ...).
const char* gate_name(GateKind kind);

/// How many qubit slots of Gate::q a kind uses (1 to 3).
unsigned gate_arity(GateKind kind);

/// One gate. Qubit slots by kind: one-qubit gates and measure use q[0];
/// cx/cz/cp: q[0] control, q[1] target; swap: q[0], q[1]; ccx: q[0], q[1]
/// controls, q[2] target; u: q[0]; cu: q[0] control, q[1] target; cswap:
/// q[0] control, q[1] and q[2] swapped. `theta` (radians) for
/// rx/ry/rz/p/cp/u/cu; `phi`, `lambda`, `gamma` for u and cu, where
/// u3(theta, phi, lambda) = [[cos(theta/2), -e^{i lambda} sin(theta/2)],
/// [e^{i phi} sin(theta/2), e^{i(phi+lambda)} cos(theta/2)]].
/// Gate::clbit of a measurement that writes no classical bit (the JSON gates).
inline constexpr uint32_t kNoClbit = UINT32_MAX;

struct Gate {
  GateKind kind = GateKind::kH;
  std::array<uint32_t, 3> q{};
  double theta = 0.0;
  double phi = 0.0;
  double lambda = 0.0;
  double gamma = 0.0;         ///< global phase of u (relative phase of cu's target)
  uint32_t clbit = kNoClbit;  ///< measure: the classical bit it writes (OpenQASM)
};

/// An OpenQASM creg: its bits are numbered across the cregs in declaration order.
struct ClassicalRegister {
  std::string name;
  uint32_t size = 0;
};

struct Circuit {
  uint32_t qubits = 0;
  std::vector<Gate> gates;
  std::vector<ClassicalRegister> cregs;  ///< OpenQASM only, in declaration order
  uint32_t shots = 0;
  uint64_t seed = 0;                          ///< from "seed", or a digest of the canonical payload
  bool seed_given = false;                    ///< true when the payload named the seed
  Precision precision = Precision::kFloat64;  ///< from "precision"
  std::vector<PauliString> observables;       ///< expectation values to report
  bool return_state = false;                  ///< report the final state vector
};

/// The most classical bits whose counts a result reports (one 64-bit word per outcome).
inline constexpr uint64_t kMaxReportedClbits = 64;

/// The classical bits of `circuit`'s cregs, all together.
inline uint64_t clbit_count(const Circuit& circuit) {
  uint64_t clbits = 0;
  for (const ClassicalRegister& r : circuit.cregs) clbits += r.size;
  return clbits;
}

/// A parsed circuit or, when `error` is not empty, why the payload was refused.
struct ParsedCircuit {
  Circuit circuit;
  std::string error;
  bool ok() const { return error.empty(); }
};

/// Parses and validates a payload against `options` (qubit, memory, gate and
/// shot limits). The state-memory check (16 * 2^qubits bytes, 8 in float32, against
/// options.max_state_bytes) happens here, before anything is allocated.
ParsedCircuit parse_circuit(const nlohmann::json& payload, const QuantumOptions& options);

/// Reads "precision", "shots" and "seed" of `payload` (an object) into `circuit`, with the
/// defaults and limits of parse_circuit; the refusal names the field.
std::string parse_shots_and_seed(const nlohmann::json& payload, const QuantumOptions& options,
                                 Circuit& circuit);

/// The seed used when a payload names none: the first 8 bytes (little-endian)
/// of SHA-256 over payload.dump(), nlohmann's canonical form (sorted keys).
uint64_t payload_seed(const nlohmann::json& payload);

/// Empty when a register of `qubits` qubits fits options (max_qubits and
/// 2^qubits amplitudes of `precision` within max_state_bytes); else the
/// refusal, starting with "qubits: ".
std::string check_qubits(uint64_t qubits, const QuantumOptions& options,
                         Precision precision = Precision::kFloat64);

/// 2^log2_bytes bytes in binary units: "16 TiB", "512 MiB"; "2^70 bytes" past EiB.
std::string format_bytes_log2(unsigned log2_bytes);
/// Any byte count in binary units with up to three significant digits: "1.5 GiB".
std::string format_bytes(uint64_t bytes);

}  // namespace jarvis::quantum
