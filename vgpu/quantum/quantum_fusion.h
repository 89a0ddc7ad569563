// Gate fusion. Before a run: one-qubit gates on the same qubit merged into
// one 2x2 gate, across the gates in between when those commute with the
// earlier one. Inside each cache-blocked pass: gates on up to 2 or 3 qubits
// grouped, like qsim's fuser, into one dense 4x4 or 8x8 matrix (kDense), so
// a chunk is swept once per group instead of once per gate.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "vgpu/quantum/quantum_ops.h"

namespace jarvis::quantum {

/// Merges each one-qubit op (matrix, diag, single-qubit phase, X) into the
/// next one-qubit op on the same qubit when every op between them that
/// touches that qubit commutes with it: a diagonal gate passes phases and
/// the controls of CX/CCX; a gate of the form a*I + b*X passes the target of
/// CX/CCX. The product (2x2, applied where the later gate was) is a diag op
/// when both are diagonal, else a matrix. Exact up to rounding. Returns the
/// FLOPs spent on the products (56 per 2x2 complex product).
uint64_t fuse_single_qubit_gates(std::vector<Op>& ops);

/// Storage for the matrices of kDense ops; the ops point into it, so it
/// must outlive them. A deque: adding a matrix moves no other.
using DenseStore = std::deque<std::vector<Complex>>;

/// `op` (not a measurement, on at most 3 qubits) as a kDense op on all the
/// qubits it touches, its matrix added to `store`. Returns the FLOPs spent.
/// Throws std::invalid_argument for an op on more than 3 qubits.
uint64_t make_dense(const Op& op, DenseStore& store, Op& out);

/// Groups `ops` (in order, all inside a chunk whose qubits are
/// `chunk_qubits`) into dense ops on at most `max_qubits` (2 or 3) qubits:
/// a gate joins the latest group on its qubits when the union still fits,
/// and absorbs earlier groups that nothing has touched since, when they fit
/// too (moves past gates on other qubits only, so exact up to rounding). A
/// gate that touches a qubit outside the chunk, a measurement, and a group
/// of one gate that is not already dense are passed through unchanged.
/// Returns the fused list; `flops` grows by the FLOPs of the products.
std::vector<Op> fuse_multi_qubit_gates(std::span<const Op> ops, uint64_t chunk_qubits,
                                       unsigned max_qubits, DenseStore& store, uint64_t& flops);

}  // namespace jarvis::quantum
