#include "vgpu/quantum/quantum_fusion.h"

#include <array>
#include <bit>
#include <map>
#include <optional>
#include <stdexcept>

#include "vgpu/quantum/kernels/quantum_dense.h"
#include "vgpu/quantum/quantum_blocking.h"

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
    case OpKind::kDense:
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

namespace {

// The matrix of `ops` (every qubit they touch in `mask`), built column by
// column: column c is the ops applied to basis state c of the k qubits.
uint64_t group_matrix(std::span<const Op> ops, uint64_t mask, std::vector<Complex>& mat) {
  const unsigned k = static_cast<unsigned>(std::popcount(mask));
  const uint64_t dim = uint64_t{1} << k;
  std::vector<Op> local(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) localize(ops[i], mask, 0, local[i]);
  mat.assign(dim * dim, Complex(0));
  std::vector<double> column(2 * dim);
  uint64_t flops = 0;
  for (uint64_t c = 0; c < dim; ++c) {
    std::fill(column.begin(), column.end(), 0.0);
    column[2 * c] = 1.0;
    apply_direct(generic_kernels(), generic_dense_kernels(), column.data(), k, local);
    for (uint64_t r = 0; r < dim; ++r) mat[r * dim + c] = Complex(column[2 * r], column[2 * r + 1]);
  }
  for (const Op& op : local) flops += dim * op_flops(op, k);
  return flops;
}

Op dense_op(uint64_t mask, DenseStore& store) {
  Op op;
  op.kind = OpKind::kDense;
  op.mask = mask;
  op.dense = store.back().data();
  return op;
}

struct Group {
  uint64_t mask = 0;
  std::vector<Op> ops;
  bool alive = true;
};

}  // namespace

uint64_t make_dense(const Op& op, DenseStore& store, Op& out) {
  const uint64_t mask = op_touches(op);
  if (std::popcount(mask) > 3) {
    // No gate of the payload format has more; a new one must not slip
    // through as a wrong answer.
    throw std::invalid_argument("gates: float32 runs take gates on at most 3 qubits");
  }
  store.emplace_back();
  const uint64_t flops = group_matrix(std::span<const Op>(&op, 1), mask, store.back());
  out = dense_op(mask, store);
  return flops;
}

std::vector<Op> fuse_multi_qubit_gates(std::span<const Op> ops, uint64_t chunk_qubits,
                                       unsigned max_qubits, DenseStore& store, uint64_t& flops) {
  // Items in order: a group (index into groups) or a gate passed through (-1).
  std::vector<Group> groups;
  std::vector<int64_t> item_group;
  std::vector<const Op*> item_op;
  int64_t last[64];  // qubit -> the latest item touching it, -1 for none
  std::fill(std::begin(last), std::end(last), -1);
  auto popcount = [](uint64_t x) { return static_cast<unsigned>(std::popcount(x)); };
  for (const Op& op : ops) {
    const uint64_t t = op_touches(op);
    const bool fusable = op.kind != OpKind::kMeasure && t != 0 && (t & ~chunk_qubits) == 0 &&
                         popcount(t) <= max_qubits;
    int64_t latest = -1;
    for (uint64_t b = t; b != 0; b &= b - 1) latest = std::max(latest, last[std::countr_zero(b)]);
    int64_t item = -1;
    if (fusable && latest >= 0 && item_group[latest] >= 0 &&
        popcount(groups[item_group[latest]].mask | t) <= max_qubits) {
      item = latest;
    } else if (fusable) {
      item = static_cast<int64_t>(item_group.size());
      item_group.push_back(static_cast<int64_t>(groups.size()));
      item_op.push_back(nullptr);
      groups.emplace_back();
    } else {
      item_group.push_back(-1);
      item_op.push_back(&op);
      for (uint64_t b = t; b != 0; b &= b - 1)
        last[std::countr_zero(b)] = static_cast<int64_t>(item_op.size()) - 1;
      continue;
    }
    Group& g = groups[item_group[item]];
    // Earlier groups that nothing has touched since can move up to this one.
    for (uint64_t b = t; b != 0; b &= b - 1) {
      const int64_t other = last[std::countr_zero(b)];
      if (other < 0 || other == item || item_group[other] < 0) continue;
      Group& e = groups[item_group[other]];
      if (!e.alive || popcount(e.mask | g.mask | t) > max_qubits) continue;
      bool still_last = true;
      for (uint64_t c = e.mask; c != 0; c &= c - 1)
        still_last &= last[std::countr_zero(c)] == other;
      if (!still_last) continue;
      // e and g touch disjoint qubits (g came later and e is still the last
      // on each of its qubits), so e's gates may go first.
      e.ops.insert(e.ops.end(), g.ops.begin(), g.ops.end());
      g.ops.swap(e.ops);
      g.mask |= e.mask;
      e.alive = false;
      for (uint64_t c = e.mask; c != 0; c &= c - 1) last[std::countr_zero(c)] = item;
    }
    g.ops.push_back(op);
    g.mask |= t;
    for (uint64_t b = t; b != 0; b &= b - 1) last[std::countr_zero(b)] = item;
  }
  std::vector<Op> out;
  for (size_t i = 0; i < item_group.size(); ++i) {
    if (item_group[i] < 0) {
      out.push_back(*item_op[i]);
      continue;
    }
    const Group& g = groups[item_group[i]];
    if (!g.alive) continue;
    if (g.ops.size() == 1 && g.ops[0].kind != OpKind::kDense) {
      out.push_back(g.ops[0]);  // its own kernel is cheaper than a dense one
      continue;
    }
    store.emplace_back();
    flops += group_matrix(g.ops, g.mask, store.back());
    out.push_back(dense_op(g.mask, store));
  }
  return out;
}

}  // namespace jarvis::quantum
