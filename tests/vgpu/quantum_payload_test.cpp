// QuantumApproximationLayer input validation: every bad payload is refused
// with the field and the reason, the memory limit is checked before any
// state is allocated, and no JSON makes run() crash or throw.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "vgpu/quantum/kernels/quantum_rng.h"
#include "vgpu/quantum/quantum_circuit.h"
#include "vgpu/quantum/quantum_layer.h"

namespace {

using jarvis::QuantumApproximationLayer;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace q = jarvis::quantum;

std::string error_of(const json& payload, QuantumOptions options = {}) {
  const jarvis::QuantumOutcome out = QuantumApproximationLayer(options).run(payload);
  EXPECT_FALSE(out.ok) << payload.dump();
  EXPECT_TRUE(out.result.is_null());
  return out.error;
}

json circuit(json gates, unsigned qubits = 4) {
  return {{"qubits", qubits}, {"gates", std::move(gates)}};
}

struct BadCase {
  json payload;
  std::string error;  // the whole message, or its start when it ends in "..."
};

TEST(QuantumPayload, BadPayloadsAreRefusedWithTheFieldAndTheReason) {
  const BadCase cases[] = {
      {json::array(), "payload: expected a JSON object, got array"},
      {{{"gates", json::array()}}, "qubits: missing (the register size, 1 or more)"},
      {{{"qubits", -1}, {"gates", json::array()}},
       "qubits: expected a non-negative integer, got -1"},
      {{{"qubits", 2.5}, {"gates", json::array()}},
       "qubits: expected a non-negative integer, got 2.5"},
      {{{"qubits", "4"}, {"gates", json::array()}},
       "qubits: expected a non-negative integer, got \"4\""},
      {{{"qubits", 0}, {"gates", json::array()}}, "qubits: 0, a register needs at least one qubit"},
      {{{"qubits", 40}, {"gates", json::array()}},
       "qubits: 40 needs 16 TiB of state, limit is 1 GiB"},
      {{{"qubits", 27}, {"gates", json::array()}},
       "qubits: 27 needs 2 GiB of state, limit is 1 GiB"},
      {{{"qubits", 4000000000u}, {"gates", json::array()}},
       "qubits: 4000000000 needs 2^1004 bytes of state, limit is 1 GiB"},
      {{{"qubits", 4}}, "gates: missing (an array of gates, may be empty)"},
      {{{"qubits", 4}, {"gates", json::array({json::array({"op", "h"})})}},
       "gates[0]: expected a gate object, got [\"op\",\"h\"]"},
      {circuit({{{"q", 0}}}), "gates[0].op: missing (the gate name, e.g. \"h\")"},
      {circuit({{{"op", 7}, {"q", 0}}}), "gates[0].op: expected a string, got 7"},
      {circuit({{{"op", "foo"}, {"q", 0}}}), "gates[0].op: unknown gate \"foo\" (known: h, ..."},
      {circuit({{{"op", "H"}, {"q", 0}}}), "gates[0].op: unknown gate \"H\" (known: h, ..."},
      {circuit({{{"op", "h"}, {"q", 0}},
                {{"op", "h"}, {"q", 1}},
                {{"op", "h"}, {"q", 2}},
                {{"op", "h"}, {"q", 7}}}),
       "gates[3].q: qubit 7 out of range (qubits = 4)"},
      {circuit({{{"op", "h"}}}), "gates[0].q: missing (h needs it)"},
      {circuit({{{"op", "h"}, {"q", -2}}}),
       "gates[0].q: expected a qubit index (a non-negative integer), got -2"},
      {circuit({{{"op", "h"}, {"q", 1.5}}}),
       "gates[0].q: expected a qubit index (a non-negative integer), got 1.5"},
      {circuit({{{"op", "h"}, {"q", 0}, {"target", 1}}}),
       "gates[0]: unknown field \"target\" for \"h\""},
      {circuit({{{"op", "h"}, {"q", 0}, {"theta", 1}}}),
       "gates[0]: unknown field \"theta\" for \"h\""},
      {circuit({{{"op", "cx"}, {"c", 1}, {"t", 1}}}),
       "gates[0].t: qubit 1 is also c (a gate's qubits must differ)"},
      {circuit({{{"op", "cx"}, {"c", 0}}}), "gates[0].t: missing (cx needs it)"},
      {circuit({{{"op", "swap"}, {"a", 2}, {"b", 2}}}),
       "gates[0].b: qubit 2 is also a (a gate's qubits must differ)"},
      {circuit({{{"op", "ccx"}, {"c", 0}, {"t", 2}}}),
       "gates[0].c: expected two control qubits [c0, c1], got 0"},
      {circuit({{{"op", "ccx"}, {"c", {0, 1, 3}}, {"t", 2}}}),
       "gates[0].c: expected two control qubits [c0, c1], got [0,1,3]"},
      {circuit({{{"op", "ccx"}, {"c", {0, 2}}, {"t", 2}}}),
       "gates[0].t: qubit 2 is also c[1] (a gate's qubits must differ)"},
      {circuit({{{"op", "ccx"}, {"c", {0, 9}}, {"t", 2}}}),
       "gates[0].c[1]: qubit 9 out of range (qubits = 4)"},
      {circuit({{{"op", "rx"}, {"q", 0}}}),
       "gates[0].theta: missing (rx needs an angle in radians)"},
      {circuit({{{"op", "rz"}, {"q", 0}, {"theta", "pi"}}}),
       "gates[0].theta: expected a number (radians), got \"pi\""},
      {{{"qubits", 2}, {"gates", json::array()}, {"shots", 2'000'000}},
       "shots: 2000000 exceeds the limit of 1000000"},
      {{{"qubits", 2}, {"gates", json::array()}, {"shots", -5}},
       "shots: expected a non-negative integer, got -5"},
      {{{"qubits", 2}, {"gates", json::array()}, {"seed", -1}},
       "seed: expected an integer from 0 to 2^64-1, got -1"},
      {{{"qubits", 2}, {"gates", json::array()}, {"seed", "x"}},
       "seed: expected an integer from 0 to 2^64-1, got \"x\""},
      {{{"qubits", 2}, {"gates", json::array()}, {"shot", 5}},
       "payload: unknown field \"shot\" (expected qubits, gates, shots, seed, precision, "
       "observables, return_state, output; or qasm)"},
  };
  for (const BadCase& c : cases) {
    const std::string got = error_of(c.payload);
    if (c.error.ends_with("...")) {
      EXPECT_EQ(got.substr(0, c.error.size() - 3), c.error.substr(0, c.error.size() - 3));
    } else {
      EXPECT_EQ(got, c.error);
    }
  }
}

TEST(QuantumPayload, NonFiniteAnglesAreRefused) {
  json gate = {{"op", "ry"}, {"q", 0}, {"theta", std::numeric_limits<double>::quiet_NaN()}};
  EXPECT_EQ(error_of(circuit({gate})), "gates[0].theta: must be finite");
  gate["theta"] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_of(circuit({gate})), "gates[0].theta: must be finite");
}

TEST(QuantumPayload, OptionLimitsAreApplied) {
  QuantumOptions options;
  options.max_qubits = 10;
  EXPECT_EQ(error_of(circuit(json::array(), 12), options), "qubits: 12 exceeds the limit of 10");
  options.max_gates = 2;
  json three =
      json::array({{{"op", "x"}, {"q", 0}}, {{"op", "x"}, {"q", 0}}, {{"op", "x"}, {"q", 0}}});
  EXPECT_EQ(error_of(circuit(three), options), "gates: 3 gates exceed the limit of 2");
  options.max_shots = 10;
  EXPECT_EQ(error_of({{"qubits", 1}, {"gates", json::array()}, {"shots", 11}}, options),
            "shots: 11 exceeds the limit of 10");
  // Without "shots", options.branches is used.
  options.branches = 7;
  const jarvis::QuantumOutcome out =
      QuantumApproximationLayer(options).run({{"qubits", 1}, {"gates", json::array()}});
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_EQ(out.result["shots"], 7);
  EXPECT_EQ(out.result["counts"], json({{"0", 7}}));
}

TEST(QuantumPayload, AWholeNumberWrittenAsAFloatIsThatInteger) {
  // JSON numbers have no integer type: 2.0 qubits, q 1.0 and 8.0 shots are
  // 2, 1 and 8, with the same result (and, in the cache, the same key).
  const json as_integers = {
      {"qubits", 2}, {"gates", json::array({{{"op", "x"}, {"q", 1}}})}, {"shots", 8}, {"seed", 5}};
  const json as_floats = {{"qubits", 2.0},
                          {"gates", json::array({{{"op", "x"}, {"q", 1.0}}})},
                          {"shots", 8e0},
                          {"seed", 5.0}};
  const jarvis::QuantumOutcome a = QuantumApproximationLayer().run(as_integers);
  const jarvis::QuantumOutcome b = QuantumApproximationLayer().run(as_floats);
  ASSERT_TRUE(a.ok) << a.error;
  ASSERT_TRUE(b.ok) << b.error;
  EXPECT_EQ(a.result, b.result);
  EXPECT_EQ(b.result["counts"], json({{"10", 8}}));
}

TEST(QuantumPayload, MemoryLimitIsCheckedBeforeAllocating) {
  QuantumOptions options;
  options.max_state_bytes = 1 << 20;  // 1 MiB: 16 qubits exactly
  // parse_circuit is the step before any allocation: the refusal comes from it.
  EXPECT_EQ(q::parse_circuit(circuit(json::array(), 17), options).error,
            "qubits: 17 needs 2 MiB of state, limit is 1 MiB");
  EXPECT_TRUE(q::parse_circuit(circuit(json::array(), 16), options).ok());
  EXPECT_EQ(error_of(circuit(json::array(), 17), options),
            "qubits: 17 needs 2 MiB of state, limit is 1 MiB");
  // A register far beyond any machine's memory is refused the same way, at once.
  options.max_qubits = 64;
  options.max_state_bytes = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(error_of(circuit(json::array(), 60), options),
            "qubits: 60 needs 2^64 bytes of state, limit is 16 EiB");
  // Mid-circuit measurements may hold copies of the state: counted too.
  options = QuantumOptions{};
  options.max_state_bytes = 16 << 10;  // two 10-qubit states
  json gates = json::array();
  for (unsigned k = 0; k < 3; ++k) {
    gates.push_back({{"op", "h"}, {"q", k}});
    gates.push_back({{"op", "measure"}, {"q", k}});
    gates.push_back({{"op", "x"}, {"q", k}});
  }
  EXPECT_EQ(error_of({{"qubits", 10}, {"gates", gates}, {"shots", 100}}, options),
            "gates: 3 mid-circuit measurements with 100 shots may hold 4 states of 16 KiB at "
            "once, limit is 16 KiB");
}

// Random JSON values, and valid payloads with one part replaced by one.
json random_value(q::Xoshiro256& rng, int depth) {
  switch (rng.next() % (depth > 2 ? 6 : 8)) {
    case 0:
      return nullptr;
    case 1:
      return rng.next() % 2 == 0;
    case 2:
      return static_cast<int64_t>(rng.next() % 40) - 8;
    case 3:
      return rng.uniform() * 40 - 8;
    case 4:
      return std::string(1 + rng.next() % 3, static_cast<char>('a' + rng.next() % 26));
    case 5:
      return static_cast<uint64_t>(rng.next());
    case 6: {
      json a = json::array();
      for (uint64_t i = rng.next() % 4; i > 0; --i) a.push_back(random_value(rng, depth + 1));
      return a;
    }
    default: {
      static const char* const kKeys[] = {"op", "q", "c", "t", "a", "b", "theta", "qubits"};
      json o = json::object();
      for (uint64_t i = rng.next() % 4; i > 0; --i) {
        o[kKeys[rng.next() % 8]] = random_value(rng, depth + 1);
      }
      return o;
    }
  }
}

TEST(QuantumPayload, NoJsonCrashesOrThrows) {
  q::Xoshiro256 rng(404);
  const json valid = {{"qubits", 3},
                      {"gates",
                       {{{"op", "h"}, {"q", 0}},
                        {{"op", "ccx"}, {"c", {0, 1}}, {"t", 2}},
                        {{"op", "rx"}, {"q", 2}, {"theta", 0.5}},
                        {{"op", "measure"}, {"q", 1}},
                        {{"op", "swap"}, {"a", 0}, {"b", 2}}}},
                      {"shots", 10}};
  QuantumOptions small;
  small.max_state_bytes = 1 << 20;  // mutated registers stay small and quick
  const QuantumApproximationLayer layer(small);
  int refused = 0;
  for (int i = 0; i < 3000; ++i) {
    json payload = valid;
    switch (rng.next() % 4) {
      case 0:
        payload = random_value(rng, 0);
        break;
      case 1:
        payload[std::vector<const char*>{"qubits", "gates", "shots", "seed"}[rng.next() % 4]] =
            random_value(rng, 1);
        break;
      case 2: {
        json& g = payload["gates"][rng.next() % 5];
        static const char* const kFields[] = {"op", "q", "c", "t", "a", "b", "theta"};
        g[kFields[rng.next() % 7]] = random_value(rng, 1);
        break;
      }
      default:
        payload["gates"][rng.next() % 5] = random_value(rng, 1);
        break;
    }
    jarvis::QuantumOutcome out;
    ASSERT_NO_THROW(out = layer.run(payload)) << payload.dump();
    if (out.ok) {
      EXPECT_TRUE(out.result.contains("counts"));
    } else {
      EXPECT_FALSE(out.error.empty());
      EXPECT_NE(out.error.find(": "), std::string::npos) << out.error;
      ++refused;
    }
  }
  EXPECT_GT(refused, 1000);
}

}  // namespace
