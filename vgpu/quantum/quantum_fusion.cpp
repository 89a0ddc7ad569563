#include "vgpu/quantum/quantum_fusion.h"

#include <array>
#include <bit>
#include <map>
#include <optional>

namespace jarvis::quantum {
namespace {

using Mat = std::array<Complex, 4>;  // row-major 2x2

// The 2x2 matrix of a one-qubit op and its qubit, or nullopt for any other op.
std::optional<std::pair<unsigned, Mat>> one_qubit(const Op& op) {
  switch (op.kind) {
    case OpKind::kMatrix:
      if (op.controls != 0) return std::nullopt;
      return std::pair{op.target, op.u};
    case OpKind::kDiag:
      return std::pair{op.target, Mat{op.u[0], 0, 0, op.u[1]}};
    case OpKind::kPhase:
      if (std::popcount(op.mask) != 1) return std::nullopt;
      return std::pair{static_cast<unsigned>(std::countr_zero(op.mask)), Mat{1, 0, 0, op.u[0]}};
    case OpKind::kSwap:
      if (op.controls != 0 || op.off0 != 0 || std::popcount(op.off1) != 1) return std::nullopt;
      return std::pair{static_cast<unsigned>(std::countr_zero(op.off1)), Mat{0, 1, 1, 0}};
    case OpKind::kMeasure:
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_diagonal(const Mat& m) {
  return m[1] == Complex(0) && m[2] == Complex(0);
}
bool is_x_like(const Mat& m) {
  return m[0] == m[3] && m[1] == m[2];
}

// Whether a pending one-qubit gate `m` on qubit q commutes with `op`.
bool commutes(const Mat& m, unsigned q, const Op& op) {
  const uint64_t bit = uint64_t{1} << q;
  if ((op_touches(op) & bit) == 0) return true;
  if (op.kind == OpKind::kPhase) return is_diagonal(m);
  if (op.kind == OpKind::kSwap && op.off0 == 0) {
    if (op.controls & bit) return is_diagonal(m);
    if (op.off1 == bit) return is_x_like(m);
  }
  if (op.kind == OpKind::kMatrix && (op.controls & bit)) return is_diagonal(m);
  return false;
}

Mat multiply(const Mat& a, const Mat& b) {  // a * b
  return {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
          a[2] * b[1] + a[3] * b[3]};
}

Op from_matrix(unsigned q, const Mat& m) {
  Op op;
  op.target = q;
  if (is_diagonal(m)) {
    op.kind = OpKind::kDiag;
    op.u[0] = m[0];
    op.u[1] = m[3];
  } else {
    op.kind = OpKind::kMatrix;
    op.u = m;
  }
  return op;
}

}  // namespace

uint64_t fuse_single_qubit_gates(std::vector<Op>& ops) {
  std::vector<bool> dead(ops.size(), false);
  std::map<unsigned, size_t> pending;  // qubit -> index of a one-qubit op that may merge on
  uint64_t flops = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (const auto one = one_qubit(ops[i])) {
      const auto [q, m] = *one;
      auto it = pending.find(q);
      if (it != pending.end()) {
        const Mat earlier = one_qubit(ops[it->second])->second;
        ops[i] = from_matrix(q, multiply(m, earlier));
        dead[it->second] = true;
        flops += 56;
      }
      pending[q] = i;
      continue;
    }
    for (auto it = pending.begin(); it != pending.end();) {
      const Mat m = one_qubit(ops[it->second])->second;
      it = commutes(m, it->first, ops[i]) ? std::next(it) : pending.erase(it);
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!dead[i]) ops[kept++] = ops[i];
  }
  ops.resize(kept);
  return flops;
}

}  // namespace jarvis::quantum
