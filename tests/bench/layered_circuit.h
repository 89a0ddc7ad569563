// The qsim comparison circuit (issue 18): n qubits, `depth` layers, each a
// random gate from {h, rx, ry, rz} on every qubit, then cz on neighbour pairs
// (0,1), (2,3), ... in even layers and (1,2), (3,4), ... in odd ones. For 24
// qubits and depth 20 that is 710 gates. Written as our JSON payload and in
// qsim's text circuit format (docs/input_format.md of qsim: a qubit count,
// then "time gate qubits [angle]" lines), from our own seeded PRNG.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vgpu/quantum/kernels/quantum_rng.h"

namespace jarvis::bench {

struct LayeredGate {
  const char* op;  ///< "h", "rx", "ry", "rz" or "cz"
  unsigned a = 0;  ///< the qubit, or cz's first qubit
  unsigned b = 0;  ///< cz's second qubit
  double theta = 0.0;
  unsigned time = 0;  ///< qsim's moment: 2 * layer for one-qubit gates, + 1 for cz
};

inline std::vector<LayeredGate> layered_circuit(unsigned qubits, unsigned depth, uint64_t seed) {
  static const char* const kOps[] = {"h", "rx", "ry", "rz"};
  quantum::Xoshiro256 rng(seed);
  std::vector<LayeredGate> gates;
  for (unsigned layer = 0; layer < depth; ++layer) {
    for (unsigned q = 0; q < qubits; ++q) {
      LayeredGate g;
      g.op = kOps[rng.next() % 4];
      g.a = q;
      g.time = 2 * layer;
      if (g.op[0] == 'r') g.theta = 6.283185307179586 * rng.uniform();
      gates.push_back(g);
    }
    for (unsigned q = layer % 2; q + 1 < qubits; q += 2) {
      gates.push_back({"cz", q, q + 1, 0.0, 2 * layer + 1});
    }
  }
  return gates;
}

/// Our payload for the circuit (no shots: the state is what is compared).
inline nlohmann::json layered_payload(unsigned qubits, const std::vector<LayeredGate>& gates,
                                      const char* precision) {
  nlohmann::json list = nlohmann::json::array();
  for (const LayeredGate& g : gates) {
    if (g.op[0] == 'c') {
      list.push_back({{"op", "cz"}, {"c", g.a}, {"t", g.b}});
    } else if (g.op[0] == 'r') {
      list.push_back({{"op", g.op}, {"q", g.a}, {"theta", g.theta}});
    } else {
      list.push_back({{"op", g.op}, {"q", g.a}});
    }
  }
  return {{"qubits", qubits}, {"gates", list}, {"shots", 0}, {"precision", precision}};
}

/// The circuit in qsim's text format.
inline std::string layered_qsim_text(unsigned qubits, const std::vector<LayeredGate>& gates) {
  std::string out = std::to_string(qubits) + "\n";
  char line[128];
  for (const LayeredGate& g : gates) {
    if (g.op[0] == 'c') {
      std::snprintf(line, sizeof line, "%u cz %u %u\n", g.time, g.a, g.b);
    } else if (g.op[0] == 'r') {
      std::snprintf(line, sizeof line, "%u %s %u %.17g\n", g.time, g.op, g.a, g.theta);
    } else {
      std::snprintf(line, sizeof line, "%u %s %u\n", g.time, g.op, g.a);
    }
    out += line;
  }
  return out;
}

}  // namespace jarvis::bench
