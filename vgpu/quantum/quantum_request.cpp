#include "vgpu/quantum/quantum_request.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "vgpu/quantum/qasm_parser.h"

namespace jarvis::quantum {
namespace {

using nlohmann::json;

std::string quoted_text(const std::string& s) {
  return "\"" + (s.size() > 40 ? s.substr(0, 37) + "..." : s) + "\"";
}

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  if (std::isalpha(static_cast<unsigned char>(s[0])) == 0 && s[0] != '_') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

// Names an expression already gives a meaning to.
bool is_reserved(const std::string& s) {
  static const char* const kNames[] = {"pi", "sin", "cos", "tan", "exp", "ln", "sqrt"};
  return std::find(std::begin(kNames), std::end(kNames), s) != std::end(kNames);
}

std::string parse_parameters(const json& payload, std::vector<std::string>& names) {
  auto it = payload.find("parameters");
  if (it == payload.end()) return {};
  if (!it->is_array()) return "parameters: expected an array of names, e.g. [\"theta\"]";
  if (it->size() > 64) return "parameters: more than 64 names";
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    const std::string path = "parameters[" + std::to_string(i) + "]";
    if (!v.is_string()) return path + ": expected a name (a string)";
    const std::string name = v.get<std::string>();
    if (!is_identifier(name)) {
      return path + ": " + quoted_text(name) +
             " is not a name (a letter or _, then letters, digits, _)";
    }
    if (is_reserved(name)) return path + ": " + quoted_text(name) + " is a built-in name";
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return path + ": " + quoted_text(name) + " is named twice";
    }
    names.push_back(name);
  }
  return {};
}

std::string parse_bindings(const json& payload, const std::vector<std::string>& names,
                           std::vector<Symbols>& bindings) {
  auto it = payload.find("bindings");
  if (it == payload.end()) {
    if (names.empty()) return {};
    return "bindings: missing (one object of parameter values per run, e.g. [{\"" + names[0] +
           "\": 0.5}])";
  }
  if (names.empty()) return "bindings: given without \"parameters\" (the names they bind)";
  if (!it->is_array() || it->empty()) return "bindings: expected a non-empty array of objects";
  if (it->size() > kMaxBindings) {
    return "bindings: " + std::to_string(it->size()) + " runs exceed the limit of " +
           std::to_string(kMaxBindings);
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const json& b = (*it)[i];
    const std::string path = "bindings[" + std::to_string(i) + "]";
    if (!b.is_object()) return path + ": expected an object of parameter values";
    Symbols values;
    for (const auto& [key, value] : b.items()) {
      if (std::find(names.begin(), names.end(), key) == names.end()) {
        return path + ": unknown parameter " + quoted_text(key) + " (not in \"parameters\")";
      }
      if (!value.is_number()) return path + "." + key + ": expected a number";
      const double v = value.get<double>();
      if (!std::isfinite(v)) return path + "." + key + ": must be finite";
      values[key] = v;
    }
    for (const std::string& name : names) {
      if (values.count(name) == 0) return path + "." + name + ": missing";
    }
    bindings.push_back(std::move(values));
  }
  return {};
}

std::string parse_observables(const json& payload, Circuit& c) {
  auto it = payload.find("observables");
  if (it == payload.end()) return {};
  if (!it->is_array()) return "observables: expected an array of Pauli strings, e.g. [\"ZZI\"]";
  if (it->size() > kMaxObservables) {
    return "observables: " + std::to_string(it->size()) + " exceed the limit of " +
           std::to_string(kMaxObservables);
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    const std::string path = "observables[" + std::to_string(i) + "]";
    if (!v.is_string()) return path + ": expected a Pauli string such as \"XIZ\"";
    PauliString p;
    if (std::string e = parse_pauli(v.get<std::string>(), c.qubits, p); !e.empty()) {
      return path + ": " + quoted_text(v.get<std::string>()) + " " + e;
    }
    c.observables.push_back(std::move(p));
  }
  return {};
}

// Reads return_state; a state over the size limit is a kResultTooLarge refusal.
std::string parse_return_state(const json& payload, Circuit& c, OpError& kind) {
  auto it = payload.find("return_state");
  if (it == payload.end()) return {};
  if (!it->is_boolean()) return "return_state: expected true or false";
  c.return_state = it->get<bool>();
  if (c.return_state && (uint64_t{1} << c.qubits) > kMaxReturnedAmplitudes) {
    kind = OpError::kResultTooLarge;
    return "return_state: " + std::to_string(c.qubits) + " qubits have 2^" +
           std::to_string(c.qubits) + " amplitudes, the limit is " +
           std::to_string(kMaxReturnedAmplitudes) + " (2^20)";
  }
  return {};
}

// "output": "json" (the default) or "tensor", which needs the state and one run.
std::string parse_output(const json& payload, QuantumRequest& r) {
  auto it = payload.find("output");
  if (it == payload.end() || *it == "json") return {};
  if (*it != "tensor") return "output: expected \"json\" or \"tensor\"";
  if (!r.first.return_state)
    return "output: \"tensor\" stores the state vector: add \"return_state\": true";
  if (r.runs() > 1)
    return "output: \"tensor\" takes one run, not a sweep of " + std::to_string(r.runs());
  r.state_as_tensor = true;
  return {};
}

std::string parse_qasm_request(const json& payload, const QuantumOptions& options,
                               QuantumRequest& r) {
  for (const auto& [key, value] : payload.items()) {
    if (key == "qubits" || key == "gates") {
      return "payload: " + quoted_text(key) +
             " and \"qasm\" are two ways to give the circuit; give one";
    }
    static const char* const kKnown[] = {"qasm",      "shots",       "seed",
                                         "precision", "observables", "return_state",
                                         "output",    "parameters",  "bindings"};
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return "payload: unknown field " + quoted_text(key) +
             " (with qasm: expected qasm, shots, seed, precision, observables, return_state, "
             "output, parameters, bindings)";
    }
  }
  const json& source = payload["qasm"];
  if (!source.is_string()) return "qasm: expected the OpenQASM 2.0 source as a string";
  r.qasm = source.get<std::string>();
  std::vector<std::string> names;
  if (std::string e = parse_parameters(payload, names); !e.empty()) return e;
  if (std::string e = parse_bindings(payload, names, r.bindings); !e.empty()) return e;
  if (std::string e = parse_shots_and_seed(payload, options, r.first); !e.empty()) return e;
  QasmProgram program = parse_qasm(r.qasm, r.bindings.empty() ? Symbols{} : r.bindings[0], options,
                                   r.first.precision);
  if (!program.error.empty()) {
    return r.bindings.size() > 1 ? "bindings[0]: " + program.error : program.error;
  }
  r.first.qubits = program.qubits;
  r.first.gates = std::move(program.gates);
  r.first.cregs = std::move(program.cregs);
  return {};
}

}  // namespace

ParsedRequest parse_request(const nlohmann::json& payload, const QuantumOptions& options) {
  ParsedRequest out;
  QuantumRequest& r = out.request;
  if (payload.is_object() && payload.contains("qasm")) {
    out.error = parse_qasm_request(payload, options, r);
  } else {
    ParsedCircuit parsed = parse_circuit(payload, options);
    out.error = std::move(parsed.error);
    r.first = std::move(parsed.circuit);
  }
  if (out.error.empty()) out.error = parse_observables(payload, r.first);
  if (out.error.empty()) out.error = parse_return_state(payload, r.first, out.error_kind);
  if (out.error.empty()) out.error = parse_output(payload, r);
  return out;
}

ParsedCircuit request_circuit(const QuantumRequest& request, size_t run,
                              const QuantumOptions& options) {
  ParsedCircuit out;
  if (run == 0) {
    out.circuit = request.first;
    return out;
  }
  QasmProgram program =
      parse_qasm(request.qasm, request.bindings[run], options, request.first.precision);
  if (!program.error.empty()) {
    out.error = "bindings[" + std::to_string(run) + "]: " + program.error;
    return out;
  }
  Circuit& c = out.circuit;
  c.qubits = program.qubits;
  c.gates = std::move(program.gates);
  c.cregs = std::move(program.cregs);
  c.shots = request.first.shots;
  c.seed = request.first.seed;
  c.seed_given = request.first.seed_given;
  c.precision = request.first.precision;
  c.observables = request.first.observables;
  c.return_state = request.first.return_state;
  return out;
}

}  // namespace jarvis::quantum
