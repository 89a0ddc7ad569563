// Gate and payload builders for the quantum tests, and run_ok(): a payload
// that must be accepted, run through QuantumApproximationLayer.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "vgpu/quantum/quantum_layer.h"

namespace jarvis::test {

using nlohmann::json;

inline json g1(const char* op, unsigned qubit) {
  return {{"op", op}, {"q", qubit}};
}
inline json rot(const char* op, unsigned qubit, double theta) {
  return {{"op", op}, {"q", qubit}, {"theta", theta}};
}
inline json cx(unsigned c, unsigned t) {
  return {{"op", "cx"}, {"c", c}, {"t", t}};
}
inline json cp(unsigned c, unsigned t, double theta) {
  return {{"op", "cp"}, {"c", c}, {"t", t}, {"theta", theta}};
}
inline json ccx(unsigned c0, unsigned c1, unsigned t) {
  return {{"op", "ccx"}, {"c", {c0, c1}}, {"t", t}};
}

/// Runs a payload that must be accepted; its result object.
inline json run_ok(const json& payload, QuantumOptions options = {}) {
  const QuantumOutcome out = QuantumApproximationLayer(options).run(payload);
  EXPECT_TRUE(out.ok) << out.error;
  return out.result;
}

}  // namespace jarvis::test
