// Random circuit payloads over every gate kind (controls, swaps, ccx,
// mid-circuit measurements) for differential tests between state engines.
// Uses the simulator's own PRNG, so a seed gives the same circuit everywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "vgpu/quantum/kernels/quantum_rng.h"

namespace jarvis::testing {

/// `gates` random gates on `n` >= 3 qubits after an ry layer (so outcomes
/// have distinct probabilities); with `measure`, about one gate in twelve is
/// a measurement, most of them mid-circuit.
inline nlohmann::json random_circuit(unsigned n, unsigned gates, uint64_t seed, bool measure,
                                     unsigned shots = 256) {
  using nlohmann::json;
  static const char* const kOne[] = {"h", "x", "y", "z", "s", "sdg", "t", "tdg"};
  static const char* const kRot[] = {"rx", "ry", "rz", "p"};
  quantum::Xoshiro256 rng(seed);
  json list = json::array();
  for (unsigned b = 0; b < n; ++b)
    list.push_back({{"op", "ry"}, {"q", b}, {"theta", 0.3 + 0.17 * b}});
  for (unsigned k = 0; k < gates; ++k) {
    const unsigned a = static_cast<unsigned>(rng.next() % n);
    const unsigned b = (a + 1 + static_cast<unsigned>(rng.next() % (n - 1))) % n;
    unsigned c = b;
    while (c == a || c == b) c = static_cast<unsigned>(rng.next() % n);
    const double theta = 6 * rng.uniform() - 3;
    switch (rng.next() % (measure ? 12 : 11)) {
      case 0:
      case 1:
        list.push_back({{"op", kOne[rng.next() % 8]}, {"q", a}});
        break;
      case 2:
      case 3:
        list.push_back({{"op", kRot[rng.next() % 4]}, {"q", a}, {"theta", theta}});
        break;
      case 4:
      case 5:
        list.push_back({{"op", "cx"}, {"c", a}, {"t", b}});
        break;
      case 6:
        list.push_back({{"op", "cz"}, {"c", a}, {"t", b}});
        break;
      case 7:
        list.push_back({{"op", "cp"}, {"c", a}, {"t", b}, {"theta", theta}});
        break;
      case 8:
        list.push_back({{"op", "swap"}, {"a", a}, {"b", b}});
        break;
      case 9:
      case 10:
        list.push_back({{"op", "ccx"}, {"c", {a, b}}, {"t", c}});
        break;
      default:
        list.push_back({{"op", "measure"}, {"q", a}});
        break;
    }
  }
  return {{"qubits", n}, {"gates", list}, {"shots", shots}, {"seed", seed}};
}

}  // namespace jarvis::testing
