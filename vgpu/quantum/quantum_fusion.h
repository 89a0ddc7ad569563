// Gate fusion: one-qubit gates on the same qubit merged into one 2x2 gate,
// across the gates in between when those commute with the earlier one.
#pragma once

#include <cstdint>
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

}  // namespace jarvis::quantum
