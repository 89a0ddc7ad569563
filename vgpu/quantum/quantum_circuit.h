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
};

/// The payload name of a gate kind ("h", "cx", ...).
const char* gate_name(GateKind kind);

/// One gate. Qubit slots by kind: one-qubit gates and measure use q[0];
/// cx/cz/cp: q[0] control, q[1] target; swap: q[0], q[1]; ccx: q[0], q[1]
/// controls, q[2] target. `theta` (radians) for rx/ry/rz/p/cp.
struct Gate {
  GateKind kind = GateKind::kH;
  std::array<uint32_t, 3> q{};
  double theta = 0.0;
};

struct Circuit {
  uint32_t qubits = 0;
  std::vector<Gate> gates;
  uint32_t shots = 0;
  uint64_t seed = 0;                          ///< from "seed", or a digest of the canonical payload
  bool seed_given = false;                    ///< true when the payload named the seed
  Precision precision = Precision::kFloat64;  ///< from "precision"
};

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

/// The seed used when a payload names none: the first 8 bytes (little-endian)
/// of SHA-256 over payload.dump(), nlohmann's canonical form (sorted keys).
uint64_t payload_seed(const nlohmann::json& payload);

/// 2^log2_bytes bytes in binary units: "16 TiB", "512 MiB"; "2^70 bytes" past EiB.
std::string format_bytes_log2(unsigned log2_bytes);
/// Any byte count in binary units with up to three significant digits: "1.5 GiB".
std::string format_bytes(uint64_t bytes);

}  // namespace jarvis::quantum
