// The OpenQASM 2.0 front end: known-answer circuits (GHZ, QFT, Grover)
// against their analytic probabilities and amplitudes, expectation values,
// state output, parameter sweeps, and parser errors that name line:column
// and the problem. The random differential test is qasm_reference.py.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <string>

#include "vgpu/quantum/qasm_parser.h"
#include "vgpu/quantum/quantum_layer.h"

namespace {

using jarvis::OpError;
using jarvis::QuantumApproximationLayer;
using jarvis::QuantumOptions;
using nlohmann::json;
namespace q = jarvis::quantum;
constexpr double kPi = std::numbers::pi;

const std::string kHeader = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";

json run_ok(const json& payload, QuantumOptions options = {}) {
  const jarvis::QuantumOutcome out = QuantumApproximationLayer(options).run(payload);
  EXPECT_TRUE(out.ok) << out.error;
  return out.result;
}

jarvis::QuantumOutcome run(const json& payload, QuantumOptions options = {}) {
  return QuantumApproximationLayer(options).run(payload);
}

double prob(const json& result, const std::string& bits) {
  const json& p = result.at("probabilities");
  return p.contains(bits) ? p.at(bits).get<double>() : 0.0;
}

std::complex<double> amp(const json& result, size_t i) {
  const json& a = result.at("state").at(i);
  return {a[0].get<double>(), a[1].get<double>()};
}

std::string qft(unsigned n) {
  // Qubit n-1 most significant: QFT|x> = sum_k e^{2 pi i x k / N} |k> / sqrt(N).
  std::string s;
  for (unsigned j = n; j-- > 0;) {
    s += "h q[" + std::to_string(j) + "];\n";
    for (unsigned k = j; k-- > 0;) {
      s += "cp(pi/2^" + std::to_string(j - k) + ") q[" + std::to_string(k) + "], q[" +
           std::to_string(j) + "];\n";
    }
  }
  for (unsigned i = 0; i < n / 2; ++i) {
    s += "swap q[" + std::to_string(i) + "], q[" + std::to_string(n - 1 - i) + "];\n";
  }
  return s;
}

TEST(Qasm, GhzOnFiveQubits) {
  const json r =
      run_ok({{"qasm", kHeader + "qreg q[5];\ncreg c[5];\nh q[0];\ncx q[0], q[1];\ncx q[1], q[2];\n"
                                 "cx q[2], q[3];\ncx q[3], q[4];\nmeasure q -> c;\n"},
              {"shots", 200},
              {"seed", 7}});
  EXPECT_NEAR(prob(r, "00000"), 0.5, 1e-12);
  EXPECT_NEAR(prob(r, "11111"), 0.5, 1e-12);
  EXPECT_EQ(r["probabilities"].size(), 2u);
  EXPECT_EQ(r["counts"]["00000"].get<int>() + r["counts"]["11111"].get<int>(), 200);
}

TEST(Qasm, QftOfABasisStateHasTheAnalyticAmplitudes) {
  constexpr unsigned n = 4;
  constexpr unsigned x = 5;  // |0101>
  const json r = run_ok(
      {{"qasm", kHeader + "qreg q[4];\nx q[0];\nx q[2];\n" + qft(n)}, {"return_state", true}});
  const double N = 1 << n;
  for (unsigned k = 0; k < (1u << n); ++k) {
    const std::complex<double> want = std::polar(1.0 / std::sqrt(N), 2 * kPi * x * k / N);
    EXPECT_NEAR(std::abs(amp(r, k) - want), 0.0, 1e-12) << "k = " << k;
    EXPECT_NEAR(r["probabilities"]
                    .at(std::string(4, '0').replace(0, 4,
                                                    [&] {
                                                      std::string b(4, '0');
                                                      for (unsigned qb = 0; qb < n; ++qb)
                                                        b[n - 1 - qb] = ((k >> qb) & 1) ? '1' : '0';
                                                      return b;
                                                    }()))
                    .get<double>(),
                1.0 / N, 1e-12);
  }
}

TEST(Qasm, GroverOnTwoQubitsFindsTheMarkedStateWithCertainty) {
  const json r = run_ok({{"qasm", kHeader + "qreg q[2];\nh q;\ncz q[0], q[1];\n"
                                            "h q;\nx q;\ncz q[0], q[1];\nx q;\nh q;\n"}});
  EXPECT_NEAR(prob(r, "11"), 1.0, 1e-12);
}

TEST(Qasm, GroverOnThreeQubitsAfterTwoIterations) {
  // Marks |101> (q2 = 1, q1 = 0, q0 = 1) with x on q1 around a CCZ.
  const std::string oracle = "x q[1];\nh q[2];\nccx q[0], q[1], q[2];\nh q[2];\nx q[1];\n";
  const std::string diffuser = "h q;\nx q;\nh q[2];\nccx q[0], q[1], q[2];\nh q[2];\nx q;\nh q;\n";
  const json r =
      run_ok({{"qasm", kHeader + "qreg q[3];\nh q;\n" + oracle + diffuser + oracle + diffuser}});
  // sin(theta) = 1/sqrt(8); after k iterations p = sin^2((2k + 1) theta) = 121/128 for k = 2.
  const double theta = std::asin(1 / std::sqrt(8.0));
  const double p = std::pow(std::sin(5 * theta), 2);
  EXPECT_NEAR(p, 121.0 / 128.0, 1e-12);
  EXPECT_NEAR(prob(r, "101"), p, 1e-12);
  for (const char* other : {"000", "001", "010", "011", "100", "110", "111"}) {
    EXPECT_NEAR(prob(r, other), (1 - p) / 7, 1e-12) << other;
  }
}

TEST(Qasm, SameCircuitAsTheJsonShapeGivesTheSameCounts) {
  const json from_qasm =
      run_ok({{"qasm", kHeader + "qreg q[2];\nh q[0];\ncx q[0], q[1];\nrz(0.5) q[1];\n"},
              {"shots", 100},
              {"seed", 3}});
  const json from_json = run_ok({{"qubits", 2},
                                 {"gates",
                                  {{{"op", "h"}, {"q", 0}},
                                   {{"op", "cx"}, {"c", 0}, {"t", 1}},
                                   {{"op", "rz"}, {"q", 1}, {"theta", 0.5}}}},
                                 {"shots", 100},
                                 {"seed", 3}});
  EXPECT_EQ(from_qasm["counts"], from_json["counts"]);
}

TEST(Qasm, RegistersAreNumberedInDeclarationOrderAndBroadcast) {
  const json r = run_ok({{"qasm", kHeader + "qreg a[1];\nqreg b[2];\nx b[1];\n"}});
  EXPECT_NEAR(prob(r, "100"), 1.0, 1e-12);  // b[1] is qubit 2
  const json all = run_ok({{"qasm", kHeader + "qreg a[2];\nqreg b[2];\nx a;\ncx a, b;\n"}});
  EXPECT_NEAR(prob(all, "1111"), 1.0, 1e-12);
}

TEST(Qasm, UserGatesWithParametersExpand) {
  const json r =
      run_ok({{"qasm", kHeader + "qreg q[2];\n"
                                 "gate rot(t, u) a { rx(t*u) a; }\n"
                                 "gate flip2(t) a, b { rot(t, 2) a; barrier a, b; cx a, b; }\n"
                                 "flip2(pi/2) q[0], q[1];\n"}});
  EXPECT_NEAR(prob(r, "11"), 1.0, 1e-12);
}

TEST(Qasm, ExpressionsFollowTheUsualPrecedence) {
  // -2^2 = -4, 2^3^2 = 512 (right-associative), functions and pi.
  q::QasmProgram p = q::parse_qasm(
      kHeader +
          "qreg q[1];\nrz(-2^2) q[0];\nrz(2^3^2) q[0];\nrz(ln(exp(1.5)) + sqrt(4)*pi/2 - "
          "sin(0)*cos(0)/tan(1)) q[0];\n",
      {}, {});
  ASSERT_TRUE(p.error.empty()) << p.error;
  ASSERT_EQ(p.gates.size(), 3u);
  EXPECT_DOUBLE_EQ(p.gates[0].theta, -4.0);
  EXPECT_DOUBLE_EQ(p.gates[1].theta, 512.0);
  EXPECT_NEAR(p.gates[2].theta, 1.5 + kPi, 1e-15);
}

TEST(Qasm, ExpectationsOfPauliStringsOnABellState) {
  const json r = run_ok({{"qasm", kHeader + "qreg q[3];\nh q[0];\ncx q[0], q[1];\n"},
                         {"observables", {"IZZ", "IXX", "IYY", "IZI", "ZII", "IXY"}}});
  const std::vector<double> want = {1, 1, -1, 0, 1, 0};
  ASSERT_EQ(r["expectations"].size(), want.size());
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_NEAR(r["expectations"][k].get<double>(), want[k], 1e-12) << k;
  }
}

TEST(Qasm, ExpectationsWithMidCircuitMeasurementAreTheMixture) {
  // Measuring q0 of a Bell pair then flipping q0: |01> or |10>, half each.
  const json r = run_ok({{"qasm", kHeader + "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\n"
                                            "measure q[0] -> c[0];\nx q[0];\n"},
                         {"observables", {"ZZ", "ZI", "IZ", "XX"}}});
  EXPECT_EQ(r["mid_circuit_measurements"], 1);
  EXPECT_NEAR(r["expectations"][0].get<double>(), -1.0, 1e-12);
  EXPECT_NEAR(r["expectations"][1].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(r["expectations"][2].get<double>(), 0.0, 1e-12);
  // A pure Bell-like state would give <XX> = +-1; the mixture gives 0.
  EXPECT_NEAR(r["expectations"][3].get<double>(), 0.0, 1e-12);
}

TEST(Qasm, ReturnStateGivesTheAmplitudes) {
  const json r = run_ok({{"qasm", kHeader + "qreg q[2];\nh q[0];\ncx q[0], q[1];\ns q[1];\n"},
                         {"return_state", true}});
  ASSERT_EQ(r["state"].size(), 4u);
  const double h = std::sqrt(0.5);
  EXPECT_NEAR(std::abs(amp(r, 0) - std::complex<double>(h, 0)), 0, 1e-15);
  EXPECT_NEAR(std::abs(amp(r, 1)), 0, 1e-15);
  EXPECT_NEAR(std::abs(amp(r, 2)), 0, 1e-15);
  EXPECT_NEAR(std::abs(amp(r, 3) - std::complex<double>(0, h)), 0, 1e-15);
}

TEST(Qasm, ReturnStateOverTheLimitIsTooLarge) {
  const jarvis::QuantumOutcome out =
      run({{"qasm", kHeader + "qreg q[21];\n"}, {"return_state", true}});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error_kind, OpError::kResultTooLarge);
  EXPECT_EQ(out.error, "return_state: 21 qubits have 2^21 amplitudes, the limit is 1048576 (2^20)");
}

TEST(Qasm, ReturnStateWithMidCircuitMeasurementIsRefused) {
  const jarvis::QuantumOutcome out =
      run({{"qasm", kHeader + "qreg q[1];\ncreg c[1];\nh q[0];\nmeasure q[0] -> c[0];\nh q[0];\n"},
           {"return_state", true}});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error_kind, OpError::kInvalid);
  EXPECT_TRUE(out.error.starts_with("return_state: the circuit measures mid-circuit")) << out.error;
}

TEST(Qasm, ASweepGivesOneResultPerBinding) {
  const json r = run_ok({{"qasm", kHeader + "qreg q[1];\nrx(theta) q[0];\nrz(phi) q[0];\n"},
                         {"parameters", {"theta", "phi"}},
                         {"bindings",
                          {{{"theta", 0}, {"phi", 1}},
                           {{"theta", kPi}, {"phi", 0}},
                           {{"theta", kPi / 2}, {"phi", 0.5}}}},
                         {"observables", {"Z"}}});
  EXPECT_EQ(r["runs"], 3);
  ASSERT_EQ(r["results"].size(), 3u);
  EXPECT_NEAR(r["results"][0]["expectations"][0].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(r["results"][1]["expectations"][0].get<double>(), -1.0, 1e-12);
  EXPECT_NEAR(r["results"][2]["expectations"][0].get<double>(), 0.0, 1e-12);
}

TEST(Qasm, Float32GivesTheFloat64AnswersToFloatRounding) {
  // A few layers on 5 qubits so that 2-qubit fusion and the float32 kernels
  // both run; observables, the state and a sweep must all read the float32 state.
  std::string body = kHeader + "qreg q[5];\n";
  for (int layer = 0; layer < 4; ++layer) {
    for (int k = 0; k < 5; ++k) {
      body += "u3(theta*" + std::to_string(k + 1) + ", 0.3, -0.7) q[" + std::to_string(k) + "];\n";
    }
    for (int k = layer % 2; k + 1 < 5; k += 2) {
      body += "cx q[" + std::to_string(k) + "], q[" + std::to_string(k + 1) + "];\n";
    }
    body += "rzz(0.4) q[0], q[4];\nsx q[2];\n";
  }
  json payload = {{"qasm", body},
                  {"parameters", {"theta"}},
                  {"bindings", {{{"theta", 0.25}}, {{"theta", 1.1}}}},
                  {"observables", {"ZZIII", "XIYIZ", "IIXXI"}},
                  {"return_state", true}};
  const json r64 = run_ok(payload);
  payload["precision"] = "float32";
  const json r32 = run_ok(payload);
  ASSERT_EQ(r32["runs"], 2);
  for (size_t run = 0; run < 2; ++run) {
    const json& a = r64["results"][run];
    const json& b = r32["results"][run];
    EXPECT_EQ(a["precision"], "float64");
    EXPECT_EQ(b["precision"], "float32");
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_NEAR(b["expectations"][k].get<double>(), a["expectations"][k].get<double>(), 1e-5)
          << "run " << run << " observable " << k;
    }
    ASSERT_EQ(b["state"].size(), 32u);
    for (size_t i = 0; i < 32; ++i) {
      EXPECT_NEAR(std::abs(amp(b, i) - amp(a, i)), 0, 1e-5) << "run " << run << " amplitude " << i;
    }
  }
}

TEST(Qasm, ABindingThatMakesAnAngleInfiniteIsNamed) {
  const jarvis::QuantumOutcome out = run({{"qasm", kHeader + "qreg q[1];\nrx(1/theta) q[0];\n"},
                                          {"parameters", {"theta"}},
                                          {"bindings", {{{"theta", 1}}, {{"theta", 0}}}}});
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error, "bindings[1]: qasm: 4:1: a parameter of 'rx' is not finite");
}

TEST(Qasm, JsonGatesTakeObservablesAndReturnStateToo) {
  const json r = run_ok({{"qubits", 1},
                         {"gates", {{{"op", "x"}, {"q", 0}}}},
                         {"observables", {"Z"}},
                         {"return_state", true}});
  EXPECT_NEAR(r["expectations"][0].get<double>(), -1.0, 1e-12);
  EXPECT_EQ(r["state"], json::parse("[[0.0, 0.0], [1.0, 0.0]]"));
}

struct ErrorCase {
  std::string source;  // after kHeader and "qreg q[2];\ncreg c[2];\n" (lines 1-4)
  std::string error;   // the whole message, or its start when it ends in "..."
};

TEST(Qasm, ParserErrorsNameLineColumnAndTheProblem) {
  const std::string regs = "qreg q[2];\ncreg c[2];\n";
  const ErrorCase cases[] = {
      {"h q[0]", "qasm: 5:7: expected ',' or ';' after the qubits, got the end of the source"},
      {"h q[2];", "qasm: 5:5: index 2 is out of range for 'q' of size 2"},
      {"foo q[0];", "qasm: 5:1: unknown gate 'foo' (not defined; qelib1.inc has u3, u, ..."},
      {"rx q[0];", "qasm: 5:1: gate 'rx' takes 1 parameter(s), got 0"},
      {"cx q[0];", "qasm: 5:1: gate 'cx' acts on 2 qubit(s), got 1"},
      {"cx q[1], q[1];", "qasm: 5:10: qubit q[1] is used twice in this call to 'cx'"},
      {"qreg r[3];\ncx q, r;", "qasm: 6:7: registers of different sizes (2 and 3) in one ..."},
      {"rx(theta) q[0];",
       "qasm: 5:4: unknown name 'theta' in an expression (not pi, a function or a parameter "
       "here)"},
      {"rx(1/0) q[0];", "qasm: 5:1: a parameter of 'rx' is not finite"},
      {"rx(1 +) q[0];",
       "qasm: 5:7: expected an expression (a number, pi, a parameter or a function), got ')'"},
      {"rx((1) q[0];", "qasm: 5:8: expected ',' or ')' in the parameter list, got 'q'"},
      {"if (c == 1) x q[0];", "qasm: 5:1: 'if' (classically controlled gates) is not supported"},
      {"reset q[0];", "qasm: 5:1: 'reset' is not supported ..."},
      {"opaque g a;", "qasm: 5:1: 'opaque' gates are not supported"},
      {"measure q[0] -> d[0];", "qasm: 5:17: 'd' is not a creg declared before"},
      {"measure q -> c[0];", "qasm: 5:14: measure takes a qubit to a bit or a qreg to a creg"},
      {"x q[0]; @", "qasm: 5:9: unexpected character '@'"},
      {"/* open", "qasm: 5:1: a /* comment is never closed"},
      {"gate g a { cx a, b; }", "qasm: 5:18: 'b' is not a qubit argument of this gate"},
      {"gate g a { g a; }", "qasm: 5:12: unknown gate 'g' ..."},
      {"gate g a { measure a; }",
       "qasm: 5:12: a gate body holds only gate calls and 'barrier', got 'measure'"},
      {"gate g(t, t) a { }", "qasm: 5:11: 't' is named twice in this gate's arguments"},
      {"gate CX a, b { }", "qasm: 5:6: the gate 'CX' is already defined"},
      {"qreg q[3];", "qasm: 5:6: the register 'q' is already declared"},
      {"include \"other.inc\";",
       "qasm: 5:9: only \"qelib1.inc\" can be included (built in), got \"other.inc\""},
      {"qreg big[40];", "qasm: 5:10: qubits: 42 needs 64 TiB of state, limit is 1 GiB"},
      {"rx(" + std::string(300, '(') + "1" + std::string(300, ')') + ") q[0];",
       "qasm: 5:...expression nested deeper than 200 levels"},
  };
  for (const ErrorCase& c : cases) {
    const q::QasmProgram p = q::parse_qasm(kHeader + regs + c.source, {}, QuantumOptions{});
    if (c.error.ends_with("...")) {
      const std::string start = c.error.substr(0, c.error.size() - 3);
      EXPECT_TRUE(p.error.starts_with(start)) << c.source << "\n got: " << p.error;
    } else if (c.error.find("...") != std::string::npos) {
      const size_t dots = c.error.find("...");
      EXPECT_TRUE(p.error.starts_with(c.error.substr(0, dots)) &&
                  p.error.ends_with(c.error.substr(dots + 3)))
          << c.source << "\n got: " << p.error;
    } else {
      EXPECT_EQ(p.error, c.error) << c.source;
    }
    EXPECT_TRUE(p.gates.empty());
  }
}

TEST(Qasm, HeaderAndIncludeErrors) {
  EXPECT_EQ(q::parse_qasm("qreg q[1];", {}, {}).error,
            "qasm: 1:1: expected the header 'OPENQASM 2.0;', got 'qreg'");
  EXPECT_EQ(q::parse_qasm("OPENQASM 3.0;", {}, {}).error,
            "qasm: 1:10: only OpenQASM 2.0 is supported, got version '3.0'");
  EXPECT_EQ(q::parse_qasm("OPENQASM 2.0;\nqreg q[1];\nh q[0];", {}, {}).error,
            "qasm: 3:1: gate 'h' comes from qelib1.inc: add 'include \"qelib1.inc\";'");
  EXPECT_EQ(q::parse_qasm("OPENQASM 2.0;\nqreg q[1]\nU(0,0,0) q[0];", {}, {}).error,
            "qasm: 3:1: expected ';' after the register, got 'U'");
  EXPECT_EQ(q::parse_qasm("OPENQASM 2.0;\n", {}, {}).error,
            "qasm: 2:1: the program declares no qreg");
  // Without the include, U and CX are there.
  EXPECT_TRUE(q::parse_qasm("OPENQASM 2.0;\nqreg q[2];\nU(pi,0,pi) q[0];\nCX q[0],q[1];", {}, {})
                  .error.empty());
}

TEST(Qasm, LimitsOnSizeAndGateCount) {
  QuantumOptions options;
  options.max_gates = 10;
  EXPECT_EQ(
      q::parse_qasm(kHeader + "qreg q[4];\ngate g a { h a; h a; h a; }\ng q;\n", {}, options).error,
      // The call in the body that passes the limit: g q[3]'s second h.
      "qasm: 4:17: the program expands to more than 10 gate applications (the limit)");
  const std::string big = kHeader + "qreg q[1];\n" + std::string(q::kMaxQasmBytes, ' ');
  EXPECT_TRUE(q::parse_qasm(big, {}, {}).error.starts_with("qasm: the source is ")) << big.size();
}

TEST(Qasm, RequestErrorsNameTheField) {
  const std::string src = kHeader + "qreg q[1];\nrx(t) q[0];\n";
  const struct {
    json payload;
    std::string error;
  } cases[] = {
      {{{"qasm", src}, {"qubits", 1}},
       "payload: \"qubits\" and \"qasm\" are two ways to give the circuit; give one"},
      {{{"qasm", 5}}, "qasm: expected the OpenQASM 2.0 source as a string"},
      {{{"qasm", src}, {"parameters", {"t"}}},
       "bindings: missing (one object of parameter values per run, e.g. [{\"t\": 0.5}])"},
      {{{"qasm", src}, {"bindings", {{{"t", 1}}}}},
       "bindings: given without \"parameters\" (the names they bind)"},
      {{{"qasm", src}, {"parameters", {"pi"}}, {"bindings", {{{"pi", 1}}}}},
       "parameters[0]: \"pi\" is a built-in name"},
      {{{"qasm", src}, {"parameters", {"t"}}, {"bindings", {{{"t", 1}}, json::object()}}},
       "bindings[1].t: missing"},
      {{{"qasm", src}, {"parameters", {"t"}}, {"bindings", {{{"t", "x"}}}}},
       "bindings[0].t: expected a number"},
      {{{"qasm", src}, {"parameters", {"t"}}, {"bindings", {{{"t", 1}, {"u", 2}}}}},
       "bindings[0]: unknown parameter \"u\" (not in \"parameters\")"},
      {{{"qasm", src}, {"parameters", {"t"}}, {"bindings", {{{"t", 1}}}}, {"observables", {"XX"}}},
       "observables[0]: \"XX\" has 2 letters, expected one per qubit (1), qubit 0 first"},
      {{{"qasm", src}, {"parameters", {"t"}}, {"bindings", {{{"t", 1}}}}, {"observables", {"A"}}},
       "observables[0]: \"A\" letter 0 is not one of I, X, Y, Z"},
      {{{"qasm", src}, {"shot", 1}},
       "payload: unknown field \"shot\" (with qasm: expected qasm, shots, seed, precision, "
       "observables, return_state, output, parameters, bindings)"},
      {{{"qasm", src}},
       "qasm: 4:4: unknown name 't' in an expression (not pi, a function or a "
       "parameter here)"},
  };
  for (const auto& c : cases) {
    const jarvis::QuantumOutcome out = run(c.payload);
    EXPECT_FALSE(out.ok);
    EXPECT_EQ(out.error, c.error) << c.payload.dump();
  }
  json many = json::array();
  for (int i = 0; i < 1025; ++i) many.push_back({{"t", i}});
  EXPECT_EQ(run({{"qasm", src}, {"parameters", {"t"}}, {"bindings", many}}).error,
            "bindings: 1025 runs exceed the limit of 1024");
}

}  // namespace

// Counts by classical bits, as Qiskit reports them: which creg bit each
// measurement wrote, the last creg first, registers separated by a space.
TEST(Qasm, ClbitCountsFollowTheMeasurementsIntoTheirBits) {
  // q0 -> c[1], q1 unmeasured, c[0] never written: every shot reads "10".
  json r = run_ok({{"qasm", kHeader + "qreg q[2];\ncreg c[2];\nx q[0];\nx q[1];\n"
                                      "measure q[0] -> c[1];\n"},
                   {"shots", 50}});
  EXPECT_EQ(r["counts"], json({{"11", 50}})) << r.dump();
  EXPECT_EQ(r["clbit_counts"], json({{"10", 50}})) << r.dump();

  // Two registers: a gets q0 (1), b gets q1 (0) and q2 (1); "b a" with b's
  // highest bit leftmost.
  r = run_ok({{"qasm", kHeader + "qreg q[3];\ncreg a[1];\ncreg b[2];\nx q[0];\nx q[2];\n"
                                 "measure q[0] -> a[0];\nmeasure q[1] -> b[0];\n"
                                 "measure q[2] -> b[1];\n"},
              {"shots", 20}});
  EXPECT_EQ(r["clbit_counts"], json({{"10 1", 20}})) << r.dump();

  // A Bell pair into swapped bits: the bits agree as the qubits do.
  r = run_ok({{"qasm", kHeader + "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\n"
                                 "measure q[0] -> c[1];\nmeasure q[1] -> c[0];\n"},
              {"shots", 200},
              {"seed", 5}});
  const json& bits = r["clbit_counts"];
  ASSERT_EQ(bits.size(), 2u) << r.dump();
  EXPECT_EQ(bits["00"], r["counts"]["00"]);
  EXPECT_EQ(bits["11"], r["counts"]["11"]);
}

TEST(Qasm, ClbitCountsKeepAMidCircuitOutcomeAfterTheQubitChanges) {
  // q0 is measured into c[0], then flipped: the final qubit is the opposite
  // of the bit on every shot, and c[1] reads the flipped q0 at the end.
  const json r = run_ok({{"qasm", kHeader + "qreg q[1];\ncreg c[2];\nh q[0];\n"
                                            "measure q[0] -> c[0];\nx q[0];\n"
                                            "measure q[0] -> c[1];\n"},
                         {"shots", 400},
                         {"seed", 11}});
  EXPECT_EQ(r["mid_circuit_measurements"], 1);
  const json& bits = r["clbit_counts"];
  // Only "01" (measured 1, then 0) and "10" (measured 0, then 1).
  uint64_t total = 0;
  for (const auto& [key, count] : bits.items()) {
    EXPECT_TRUE(key == "01" || key == "10") << r.dump();
    total += count.get<uint64_t>();
  }
  EXPECT_EQ(total, 400u);
  // The final qubit equals c[1] on every shot.
  EXPECT_EQ(bits.value("10", json(0)), r["counts"].value("1", json(0))) << r.dump();
  EXPECT_EQ(bits.value("01", json(0)), r["counts"].value("0", json(0))) << r.dump();
  EXPECT_GT(bits.value("01", json(0)).get<uint64_t>(), 100u);  // both outcomes occur (p = 1/2)
  EXPECT_GT(bits.value("10", json(0)).get<uint64_t>(), 100u);
}

TEST(Qasm, ALaterMeasurementOverwritesTheBit) {
  // q0 (1) then q1 (0) into c[0]: the bit holds the later outcome, 0.
  json r = run_ok({{"qasm", kHeader + "qreg q[2];\ncreg c[1];\nx q[0];\n"
                                      "measure q[0] -> c[0];\nmeasure q[1] -> c[0];\n"},
                   {"shots", 10}});
  EXPECT_EQ(r["clbit_counts"], json({{"0", 10}})) << r.dump();
  // The other order: 1.
  r = run_ok({{"qasm", kHeader + "qreg q[2];\ncreg c[1];\nx q[0];\n"
                                 "measure q[1] -> c[0];\nmeasure q[0] -> c[0];\n"},
              {"shots", 10}});
  EXPECT_EQ(r["clbit_counts"], json({{"1", 10}})) << r.dump();
  // A terminal measurement of q0 into c[0], then a mid-circuit one of q1
  // (flipped after it): the mid-circuit outcome (0) is the later write.
  r = run_ok({{"qasm", kHeader + "qreg q[2];\ncreg c[1];\nx q[0];\n"
                                 "measure q[0] -> c[0];\nmeasure q[1] -> c[0];\nx q[1];\n"},
              {"shots", 10}});
  EXPECT_EQ(r["mid_circuit_measurements"], 1);
  EXPECT_EQ(r["clbit_counts"], json({{"0", 10}})) << r.dump();
}

TEST(Qasm, NoClbitCountsWithoutCregsOrAbove64Bits) {
  json r = run_ok({{"qasm", kHeader + "qreg q[1];\nh q[0];\n"}, {"shots", 4}});
  EXPECT_FALSE(r.contains("clbit_counts")) << r.dump();
  r = run_ok(
      {{"qasm", kHeader + "qreg q[1];\ncreg c[65];\nmeasure q[0] -> c[64];\n"}, {"shots", 4}});
  EXPECT_FALSE(r.contains("clbit_counts")) << r.dump();
  EXPECT_EQ(r["clbit_counts_note"], "not reported above 64 classical bits");
  // The JSON gate shape has no classical bits.
  r = run_ok({{"qubits", 1}, {"gates", {{{"op", "h"}, {"q", 0}}}}, {"shots", 4}});
  EXPECT_FALSE(r.contains("clbit_counts")) << r.dump();
}
