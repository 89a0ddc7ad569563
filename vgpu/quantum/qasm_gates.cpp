#include "vgpu/quantum/qasm_gates.h"

#include <numbers>
#include <string>

namespace jarvis::quantum {
namespace {

using P = std::span<const double>;
using Q = std::span<const uint32_t>;
using Out = std::vector<Gate>;
constexpr double kPi = std::numbers::pi;

Gate gate(GateKind kind, uint32_t a, uint32_t b = 0, uint32_t c = 0, double theta = 0.0) {
  Gate g;
  g.kind = kind;
  g.q = {a, b, c};
  g.theta = theta;
  return g;
}

Gate u(uint32_t q, double theta, double phi, double lambda, double gamma = 0.0) {
  Gate g = gate(GateKind::kU, q, 0, 0, theta);
  g.phi = phi;
  g.lambda = lambda;
  g.gamma = gamma;
  return g;
}

Gate cu(uint32_t c, uint32_t t, double theta, double phi, double lambda, double gamma = 0.0) {
  Gate g = u(0, theta, phi, lambda, gamma);
  g.kind = GateKind::kCu;
  g.q = {c, t, 0};
  return g;
}

// rzz(theta) = exp(-i theta/2 Z(x)Z) = cx; rz(theta) on the target; cx.
void rzz(double theta, uint32_t a, uint32_t b, Out& out) {
  out.push_back(gate(GateKind::kCx, a, b));
  out.push_back(gate(GateKind::kRz, b, 0, 0, theta));
  out.push_back(gate(GateKind::kCx, a, b));
}

template <GateKind kKind>
void one(P, Q q, Out& out) {
  out.push_back(gate(kKind, q[0]));
}
template <GateKind kKind>
void one_angle(P p, Q q, Out& out) {
  out.push_back(gate(kKind, q[0], 0, 0, p[0]));
}
template <GateKind kKind>
void two(P, Q q, Out& out) {
  out.push_back(gate(kKind, q[0], q[1]));
}

const QasmBuiltin kBuiltins[] = {
    {"U", 3, 1, false, [](P p, Q q, Out& o) { o.push_back(u(q[0], p[0], p[1], p[2])); }},
    {"CX", 0, 2, false, two<GateKind::kCx>},
    {"u3", 3, 1, true, [](P p, Q q, Out& o) { o.push_back(u(q[0], p[0], p[1], p[2])); }},
    {"u", 3, 1, true, [](P p, Q q, Out& o) { o.push_back(u(q[0], p[0], p[1], p[2])); }},
    {"u2", 2, 1, true, [](P p, Q q, Out& o) { o.push_back(u(q[0], kPi / 2, p[0], p[1])); }},
    {"u1", 1, 1, true, one_angle<GateKind::kP>},
    {"p", 1, 1, true, one_angle<GateKind::kP>},
    {"u0", 1, 1, true, [](P, Q, Out&) {}},  // an idle of p[0] time steps
    {"id", 0, 1, true, [](P, Q, Out&) {}},
    {"x", 0, 1, true, one<GateKind::kX>},
    {"y", 0, 1, true, one<GateKind::kY>},
    {"z", 0, 1, true, one<GateKind::kZ>},
    {"h", 0, 1, true, one<GateKind::kH>},
    {"s", 0, 1, true, one<GateKind::kS>},
    {"sdg", 0, 1, true, one<GateKind::kSdg>},
    {"t", 0, 1, true, one<GateKind::kT>},
    {"tdg", 0, 1, true, one<GateKind::kTdg>},
    {"sx", 0, 1, true,
     [](P, Q q, Out& o) { o.push_back(u(q[0], kPi / 2, -kPi / 2, kPi / 2, kPi / 4)); }},
    {"sxdg", 0, 1, true,
     [](P, Q q, Out& o) { o.push_back(u(q[0], kPi / 2, kPi / 2, -kPi / 2, -kPi / 4)); }},
    {"rx", 1, 1, true, one_angle<GateKind::kRx>},
    {"ry", 1, 1, true, one_angle<GateKind::kRy>},
    {"rz", 1, 1, true, one_angle<GateKind::kRz>},
    {"cx", 0, 2, true, two<GateKind::kCx>},
    {"cz", 0, 2, true, two<GateKind::kCz>},
    {"cy", 0, 2, true, [](P, Q q, Out& o) { o.push_back(cu(q[0], q[1], kPi, kPi / 2, kPi / 2)); }},
    {"ch", 0, 2, true, [](P, Q q, Out& o) { o.push_back(cu(q[0], q[1], kPi / 2, 0, kPi)); }},
    {"csx", 0, 2, true,
     [](P, Q q, Out& o) { o.push_back(cu(q[0], q[1], kPi / 2, -kPi / 2, kPi / 2, kPi / 4)); }},
    {"swap", 0, 2, true, two<GateKind::kSwap>},
    {"crx", 1, 2, true,
     [](P p, Q q, Out& o) { o.push_back(cu(q[0], q[1], p[0], -kPi / 2, kPi / 2)); }},
    {"cry", 1, 2, true, [](P p, Q q, Out& o) { o.push_back(cu(q[0], q[1], p[0], 0, 0)); }},
    {"crz", 1, 2, true,
     [](P p, Q q, Out& o) { o.push_back(cu(q[0], q[1], 0, 0, p[0], -p[0] / 2)); }},
    {"cu1", 1, 2, true,
     [](P p, Q q, Out& o) { o.push_back(gate(GateKind::kCp, q[0], q[1], 0, p[0])); }},
    {"cp", 1, 2, true,
     [](P p, Q q, Out& o) { o.push_back(gate(GateKind::kCp, q[0], q[1], 0, p[0])); }},
    {"cu3", 3, 2, true, [](P p, Q q, Out& o) { o.push_back(cu(q[0], q[1], p[0], p[1], p[2])); }},
    {"cu", 4, 2, true,
     [](P p, Q q, Out& o) { o.push_back(cu(q[0], q[1], p[0], p[1], p[2], p[3])); }},
    {"rzz", 1, 2, true, [](P p, Q q, Out& o) { rzz(p[0], q[0], q[1], o); }},
    {"rxx", 1, 2, true,
     [](P p, Q q, Out& o) {
       // H(x)H maps Z(x)Z to X(x)X.
       o.push_back(gate(GateKind::kH, q[0]));
       o.push_back(gate(GateKind::kH, q[1]));
       rzz(p[0], q[0], q[1], o);
       o.push_back(gate(GateKind::kH, q[0]));
       o.push_back(gate(GateKind::kH, q[1]));
     }},
    {"ccx", 0, 3, true,
     [](P, Q q, Out& o) { o.push_back(gate(GateKind::kCcx, q[0], q[1], q[2])); }},
    {"cswap", 0, 3, true,
     [](P, Q q, Out& o) { o.push_back(gate(GateKind::kCswap, q[0], q[1], q[2])); }},
};

}  // namespace

const QasmBuiltin* find_qasm_builtin(std::string_view name) {
  for (const QasmBuiltin& b : kBuiltins) {
    if (name == b.name) return &b;
  }
  return nullptr;
}

std::string qelib_gate_names() {
  std::string names;
  for (const QasmBuiltin& b : kBuiltins) {
    if (!b.from_qelib) continue;
    if (!names.empty()) names += ", ";
    names += b.name;
  }
  return names;
}

}  // namespace jarvis::quantum
