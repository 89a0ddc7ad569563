#include "vgpu/quantum/quantum_ops.h"

#include <bit>
#include <cmath>
#include <numbers>

#include "vgpu/quantum/kernels/quantum_dense.h"

namespace jarvis::quantum {
namespace {

Op matrix_op(unsigned target, Complex u00, Complex u01, Complex u10, Complex u11) {
  Op op;
  op.kind = OpKind::kMatrix;
  op.target = target;
  op.u = {u00, u01, u10, u11};
  return op;
}

Op phase_op(uint64_t mask, Complex ph) {
  Op op;
  op.kind = OpKind::kPhase;
  op.mask = mask;
  op.u[0] = ph;
  return op;
}

Op swap_op(uint64_t off0, uint64_t off1, uint64_t controls) {
  Op op;
  op.kind = OpKind::kSwap;
  op.off0 = off0;
  op.off1 = off1;
  op.controls = controls;
  return op;
}

uint64_t bit(uint32_t q) {
  return uint64_t{1} << q;
}

// e^{i gamma} u3(theta, phi, lambda) on `target` where all `controls` are 1.
Op u3_op(const Gate& g, unsigned target, uint64_t controls) {
  const double c = std::cos(g.theta / 2);
  const double s = std::sin(g.theta / 2);
  // std::polar needs a non-negative magnitude; c and s may be negative.
  const Complex global = std::polar(1.0, g.gamma);
  Op op = matrix_op(target, global * c, -global * s * std::polar(1.0, g.lambda),
                    global * s * std::polar(1.0, g.phi),
                    global * c * std::polar(1.0, g.phi + g.lambda));
  op.controls = controls;
  return op;
}

}  // namespace

Op lower(const Gate& g) {
  const double r = std::numbers::sqrt2 / 2;
  const double c = std::cos(g.theta / 2);
  const double s = std::sin(g.theta / 2);
  const Complex i(0, 1);
  switch (g.kind) {
    case GateKind::kH:
      return matrix_op(g.q[0], r, r, r, -r);
    case GateKind::kY:
      return matrix_op(g.q[0], 0, -i, i, 0);
    case GateKind::kRx:
      return matrix_op(g.q[0], c, Complex(0, -s), Complex(0, -s), c);
    case GateKind::kRy:
      return matrix_op(g.q[0], c, -s, s, c);
    case GateKind::kX:
      return swap_op(0, bit(g.q[0]), 0);
    case GateKind::kCx:
      return swap_op(0, bit(g.q[1]), bit(g.q[0]));
    case GateKind::kCcx:
      return swap_op(0, bit(g.q[2]), bit(g.q[0]) | bit(g.q[1]));
    case GateKind::kSwap:
      return swap_op(bit(g.q[0]), bit(g.q[1]), 0);
    case GateKind::kZ:
      return phase_op(bit(g.q[0]), -1);
    case GateKind::kS:
      return phase_op(bit(g.q[0]), i);
    case GateKind::kSdg:
      return phase_op(bit(g.q[0]), -i);
    case GateKind::kT:
      return phase_op(bit(g.q[0]), Complex(r, r));
    case GateKind::kTdg:
      return phase_op(bit(g.q[0]), Complex(r, -r));
    case GateKind::kP:
      return phase_op(bit(g.q[0]), Complex(std::cos(g.theta), std::sin(g.theta)));
    case GateKind::kCz:
      return phase_op(bit(g.q[0]) | bit(g.q[1]), -1);
    case GateKind::kCp:
      return phase_op(bit(g.q[0]) | bit(g.q[1]), Complex(std::cos(g.theta), std::sin(g.theta)));
    case GateKind::kRz: {
      Op op;
      op.kind = OpKind::kDiag;
      op.target = g.q[0];
      op.u[0] = Complex(c, -s);
      op.u[1] = Complex(c, s);
      return op;
    }
    case GateKind::kU:
      return u3_op(g, g.q[0], 0);
    case GateKind::kCu:
      return u3_op(g, g.q[1], bit(g.q[0]));
    case GateKind::kCswap:
      return swap_op(bit(g.q[1]), bit(g.q[2]), bit(g.q[0]));
    case GateKind::kMeasure: {
      Op op;
      op.kind = OpKind::kMeasure;
      op.target = g.q[0];
      op.clbit = g.clbit;
      return op;
    }
  }
  return Op{};
}

uint64_t op_flops(const Op& op, unsigned n) {
  switch (op.kind) {
    case OpKind::kMatrix:
      return uint64_t{28} << (n - 1 - static_cast<unsigned>(std::popcount(op.controls)));
    case OpKind::kDiag:
      return uint64_t{12} << (n - 1);
    case OpKind::kPhase:
      return uint64_t{6} << (n - static_cast<unsigned>(std::popcount(op.mask)));
    case OpKind::kSwap:
    case OpKind::kMeasure:
      return 0;
    case OpKind::kDense:
      return dense_flops(static_cast<unsigned>(std::popcount(op.mask)), n);
  }
  return 0;
}

uint64_t op_needs(const Op& op) {
  switch (op.kind) {
    case OpKind::kMatrix:
      return bit(op.target);
    case OpKind::kSwap:
      return op.off0 | op.off1;
    case OpKind::kDense:
      return op.mask;
    default:
      return 0;
  }
}

uint64_t op_touches(const Op& op) {
  switch (op.kind) {
    case OpKind::kMatrix:
    case OpKind::kDiag:
    case OpKind::kMeasure:
      return bit(op.target) | op.controls;
    case OpKind::kPhase:
    case OpKind::kDense:
      return op.mask;
    case OpKind::kSwap:
      return op.off0 | op.off1 | op.controls;
  }
  return 0;
}

}  // namespace jarvis::quantum
