// Runs quantum payloads through QuantumApproximationLayer for
// qasm_reference.py: one payload JSON per line on stdin, one line per payload
// on stdout (the result, or {"error": "..."}), doubles printed to round-trip.
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "vgpu/quantum/quantum_layer.h"

int main() {
  jarvis::QuantumOptions options;
  options.threads = 1;
  options.block_qubits = 4;  // small chunks, so the blocked path runs on small circuits too
  const jarvis::QuantumApproximationLayer layer(options);
  std::string line;
  while (std::getline(std::cin, line)) {
    const nlohmann::json payload = nlohmann::json::parse(line, nullptr, false);
    const jarvis::QuantumOutcome out = layer.run(payload);
    std::cout << (out.ok ? out.result : nlohmann::json{{"error", out.error}}).dump() << "\n";
  }
  return 0;
}
