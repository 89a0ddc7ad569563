#include "vgpu/quantum/quantum_circuit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <span>

#include "hashcore/sha256.h"
#include "vgpu/payload/payload_parse.h"

namespace jarvis::quantum {
namespace {

using nlohmann::json;

// What each payload gate looks like: its name, its kind and which fields it
// takes. Qubit fields fill Gate::q in the order listed; "c2" is ccx's pair of
// controls ("c": [c0, c1]) and fills two slots.
struct GateSpec {
  const char* name;
  GateKind kind;
  std::initializer_list<const char*> qubit_fields;
  bool has_theta;
};

const GateSpec kGateSpecs[] = {
    {"h", GateKind::kH, {"q"}, false},           {"x", GateKind::kX, {"q"}, false},
    {"y", GateKind::kY, {"q"}, false},           {"z", GateKind::kZ, {"q"}, false},
    {"s", GateKind::kS, {"q"}, false},           {"sdg", GateKind::kSdg, {"q"}, false},
    {"t", GateKind::kT, {"q"}, false},           {"tdg", GateKind::kTdg, {"q"}, false},
    {"rx", GateKind::kRx, {"q"}, true},          {"ry", GateKind::kRy, {"q"}, true},
    {"rz", GateKind::kRz, {"q"}, true},          {"p", GateKind::kP, {"q"}, true},
    {"cx", GateKind::kCx, {"c", "t"}, false},    {"cz", GateKind::kCz, {"c", "t"}, false},
    {"cp", GateKind::kCp, {"c", "t"}, true},     {"swap", GateKind::kSwap, {"a", "b"}, false},
    {"ccx", GateKind::kCcx, {"c2", "t"}, false}, {"measure", GateKind::kMeasure, {"q"}, false},
};

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

// A JSON value in an error message, shortened so a huge payload cannot make a
// huge message.
std::string shown(const json& value) {
  std::string text = value.dump(-1, ' ', true, json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// An unsigned integer from a JSON number that is a whole number (3 or 3.0);
// nullopt otherwise.
std::optional<uint64_t> as_unsigned(const json& value) {
  return whole_number(value);
}

class Parser {
 public:
  Parser(const json& payload, const QuantumOptions& options)
      : payload_(payload), options_(options) {}

  ParsedCircuit parse() {
    ParsedCircuit out;
    out.error = parse_into(out.circuit);
    return out;
  }

  std::string parse_shots_and_seed(Circuit& c) {
    if (std::string e = parse_precision(c); !e.empty()) return e;
    if (std::string e = parse_shots(c); !e.empty()) return e;
    return parse_seed(c);
  }

 private:
  std::string parse_into(Circuit& c) {
    if (!payload_.is_object()) {
      return "payload: expected a JSON object, got " + std::string(payload_.type_name());
    }
    for (const auto& [key, value] : payload_.items()) {
      // observables, return_state and output are read by parse_request (quantum_request.h).
      if (key != "qubits" && key != "gates" && key != "shots" && key != "seed" &&
          key != "precision" && key != "observables" && key != "return_state" && key != "output") {
        return "payload: unknown field " + quoted(key) +
               " (expected qubits, gates, shots, seed, precision, observables, return_state, "
               "output; or qasm)";
      }
    }
    if (std::string e = parse_precision(c); !e.empty()) return e;
    if (std::string e = parse_qubits(c); !e.empty()) return e;
    if (std::string e = parse_shots(c); !e.empty()) return e;
    if (std::string e = parse_seed(c); !e.empty()) return e;
    return parse_gates(c);
  }

  std::string parse_qubits(Circuit& c) {
    auto it = payload_.find("qubits");
    if (it == payload_.end()) return "qubits: missing (the register size, 1 or more)";
    std::optional<uint64_t> n = as_unsigned(*it);
    if (!n) return "qubits: expected a non-negative integer, got " + shown(*it);
    if (std::string e = check_qubits(*n, options_, c.precision); !e.empty()) return e;
    c.qubits = static_cast<uint32_t>(*n);
    return {};
  }

  std::string parse_precision(Circuit& c) {
    auto it = payload_.find("precision");
    if (it == payload_.end()) return {};
    if (it->is_string() && *it == "float64") return {};
    if (it->is_string() && *it == "float32") {
      c.precision = Precision::kFloat32;
      return {};
    }
    return "precision: expected \"float64\" or \"float32\", got " + shown(*it);
  }

  std::string parse_shots(Circuit& c) {
    auto it = payload_.find("shots");
    if (it == payload_.end()) {
      c.shots = std::min(options_.branches, options_.max_shots);
      return {};
    }
    std::optional<uint64_t> k = as_unsigned(*it);
    if (!k) return "shots: expected a non-negative integer, got " + shown(*it);
    if (*k > options_.max_shots) {
      return "shots: " + std::to_string(*k) + " exceeds the limit of " +
             std::to_string(options_.max_shots);
    }
    c.shots = static_cast<uint32_t>(*k);
    return {};
  }

  std::string parse_seed(Circuit& c) {
    auto it = payload_.find("seed");
    if (it == payload_.end()) {
      c.seed = payload_seed(payload_);
      c.seed_given = false;
      return {};
    }
    std::optional<uint64_t> s = as_unsigned(*it);
    if (!s) return "seed: expected an integer from 0 to 2^64-1, got " + shown(*it);
    c.seed = *s;
    c.seed_given = true;
    return {};
  }

  std::string parse_gates(Circuit& c) {
    auto it = payload_.find("gates");
    if (it == payload_.end()) return "gates: missing (an array of gates, may be empty)";
    if (!it->is_array()) return "gates: expected an array, got " + std::string(it->type_name());
    if (it->size() > options_.max_gates) {
      return "gates: " + std::to_string(it->size()) + " gates exceed the limit of " +
             std::to_string(options_.max_gates);
    }
    c.gates.reserve(it->size());
    for (size_t i = 0; i < it->size(); ++i) {
      Gate g;
      if (std::string e = parse_gate((*it)[i], "gates[" + std::to_string(i) + "]", c.qubits, g);
          !e.empty()) {
        return e;
      }
      c.gates.push_back(g);
    }
    return {};
  }

  static const GateSpec* find_spec(const std::string& name) {
    for (const GateSpec& spec : kGateSpecs) {
      if (name == spec.name) return &spec;
    }
    return nullptr;
  }

  static std::string known_gates() {
    std::string list;
    for (const GateSpec& spec : kGateSpecs) {
      if (!list.empty()) list += ", ";
      list += spec.name;
    }
    return list;
  }

  static std::string parse_gate(const json& j, const std::string& path, uint32_t n, Gate& g) {
    if (!j.is_object()) return path + ": expected a gate object, got " + shown(j);
    auto op = j.find("op");
    if (op == j.end()) return path + ".op: missing (the gate name, e.g. \"h\")";
    if (!op->is_string()) return path + ".op: expected a string, got " + shown(*op);
    const std::string name = op->get<std::string>();
    const GateSpec* spec = find_spec(name);
    if (spec == nullptr) {
      return path + ".op: unknown gate " + shown(*op) + " (known: " + known_gates() + ")";
    }
    g.kind = spec->kind;
    for (const auto& [key, value] : j.items()) {
      if (key == "op" || (key == "theta" && spec->has_theta)) continue;
      bool listed = false;
      for (const char* f : spec->qubit_fields) {
        listed = listed || key == (std::string(f) == "c2" ? "c" : f);
      }
      if (!listed) return path + ": unknown field " + quoted(key) + " for " + quoted(name);
    }
    size_t slot = 0;
    for (const char* f : spec->qubit_fields) {
      const std::string field = std::string(f) == "c2" ? "c" : f;
      auto v = j.find(field);
      if (v == j.end()) return path + "." + field + ": missing (" + name + " needs it)";
      if (std::string(f) == "c2") {
        if (!v->is_array() || v->size() != 2) {
          return path + ".c: expected two control qubits [c0, c1], got " + shown(*v);
        }
        for (size_t k = 0; k < 2; ++k) {
          std::string e =
              parse_qubit((*v)[k], path + ".c[" + std::to_string(k) + "]", n, g.q[slot++]);
          if (!e.empty()) return e;
        }
      } else {
        if (std::string e = parse_qubit(*v, path + "." + field, n, g.q[slot++]); !e.empty()) {
          return e;
        }
      }
    }
    if (std::string e = check_distinct(path, *spec, slot, g); !e.empty()) return e;
    if (spec->has_theta) {
      auto t = j.find("theta");
      if (t == j.end()) return path + ".theta: missing (" + name + " needs an angle in radians)";
      if (!t->is_number()) return path + ".theta: expected a number (radians), got " + shown(*t);
      g.theta = t->get<double>();
      if (!std::isfinite(g.theta)) return path + ".theta: must be finite";
    }
    return {};
  }

  static std::string parse_qubit(const json& v, const std::string& path, uint32_t n,
                                 uint32_t& out) {
    std::optional<uint64_t> q = as_unsigned(v);
    if (!q) return path + ": expected a qubit index (a non-negative integer), got " + shown(v);
    if (*q >= n) {
      return path + ": qubit " + std::to_string(*q) +
             " out of range (qubits = " + std::to_string(n) + ")";
    }
    out = static_cast<uint32_t>(*q);
    return {};
  }

  // Every qubit a gate names must be a different one.
  static std::string check_distinct(const std::string& path, const GateSpec& spec, size_t used,
                                    const Gate& g) {
    std::vector<std::string> fields;
    for (const char* f : spec.qubit_fields) {
      if (std::string(f) == "c2") {
        fields.push_back("c[0]");
        fields.push_back("c[1]");
      } else {
        fields.push_back(f);
      }
    }
    for (size_t i = 0; i < used; ++i) {
      for (size_t k = 0; k < i; ++k) {
        if (g.q[i] == g.q[k]) {
          return path + "." + fields[i] + ": qubit " + std::to_string(g.q[i]) + " is also " +
                 fields[k] + " (a gate's qubits must differ)";
        }
      }
    }
    return {};
  }

  const json& payload_;
  const QuantumOptions& options_;
};

}  // namespace

const char* gate_name(GateKind kind) {
  for (const GateSpec& spec : kGateSpecs) {
    if (spec.kind == kind) return spec.name;
  }
  switch (kind) {
    case GateKind::kU:
      return "u";
    case GateKind::kCu:
      return "cu";
    case GateKind::kCswap:
      return "cswap";
    default:
      return "?";
  }
}

unsigned gate_arity(GateKind kind) {
  switch (kind) {
    case GateKind::kCcx:
    case GateKind::kCswap:
      return 3;
    case GateKind::kCx:
    case GateKind::kCz:
    case GateKind::kCp:
    case GateKind::kSwap:
    case GateKind::kCu:
      return 2;
    default:
      return 1;
  }
}

std::string check_qubits(uint64_t n, const QuantumOptions& options, Precision precision) {
  if (n == 0) return "qubits: 0, a register needs at least one qubit";
  // 16 bytes (one complex double) or 8 (float32) per amplitude, 2^n amplitudes.
  const uint64_t log2_bytes =
      std::min<uint64_t>(n, 1000) + (precision == Precision::kFloat32 ? 3 : 4);
  if (log2_bytes >= 64 || (uint64_t{1} << log2_bytes) > options.max_state_bytes) {
    return "qubits: " + std::to_string(n) + " needs " +
           (log2_bytes >= 64 ? "2^" + std::to_string(log2_bytes) + " bytes"
                             : format_bytes_log2(static_cast<unsigned>(log2_bytes))) +
           " of state, limit is " + format_bytes(options.max_state_bytes);
  }
  if (n > options.max_qubits) {
    return "qubits: " + std::to_string(n) + " exceeds the limit of " +
           std::to_string(options.max_qubits);
  }
  return {};
}

ParsedCircuit parse_circuit(const nlohmann::json& payload, const QuantumOptions& options) {
  return Parser(payload, options).parse();
}

std::string parse_shots_and_seed(const nlohmann::json& payload, const QuantumOptions& options,
                                 Circuit& circuit) {
  return Parser(payload, options).parse_shots_and_seed(circuit);
}

uint64_t payload_seed(const nlohmann::json& payload) {
  const std::string canonical =
      payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const synthminer::hashcore::Digest d = synthminer::hashcore::sha256(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(canonical.data()), canonical.size()));
  uint64_t seed = 0;
  for (int i = 7; i >= 0; --i) seed = (seed << 8) | d[static_cast<size_t>(i)];
  return seed;
}

std::string format_bytes_log2(unsigned log2_bytes) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  const unsigned unit = std::min(log2_bytes / 10, 6u);
  if (log2_bytes >= 70) return "2^" + std::to_string(log2_bytes) + " bytes";
  return std::to_string(uint64_t{1} << (log2_bytes - 10 * unit)) + " " + kUnits[unit];
}

std::string format_bytes(uint64_t bytes) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.3g %s", value, kUnits[unit]);
  return text;
}

}  // namespace jarvis::quantum
