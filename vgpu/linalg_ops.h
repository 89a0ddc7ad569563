// The `linalg` workload: dense float64 linear algebra through Eigen.
//
// Payload: {"operation": "matmul" | "matvec" | "transpose" | "solve" | "svd",
//           "matrix": A (array of rows, or a flat array read as one row),
//           "vector": x            (matmul/matvec/solve: A x, or A x = b),
//           "other": B             (matmul: A B; solve: A X = B; instead of vector),
//           "vectors": bool        (svd: also return u and v; default false),
//           "tolerance": t         (relative error a low-rank basis may add; default 1e-12),
//           "compress": bool       (let FlopCompressionLayer serve A; default true)}
// Result: {"value": ..., "shape": [m] | [m, n], "exact": bool, "error_bound": e,
//          "method": "dense" | "low-rank r=8" | ...} plus per-operation fields
// (see docs/VGPU.md). A 1-D answer is a flat array: the seed's example
// {"matrix":[1,2],"vector":[3,4],"operation":"matmul"} gives "value": [11.0].
#pragma once

#include <functional>
#include <string>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "vgpu/op_result.h"
#include "vgpu/payload_limits.h"

namespace jarvis {

class FlopCompressionLayer;

/// A dense product c = a b computed elsewhere (a GPU's cuBLAS). Returns an
/// empty string on success, else why it failed; sets `method` (the result's
/// "method", e.g. "cublas-dgemm"). `b` has one column for a vector.
using DenseProduct = std::function<std::string(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                               Eigen::MatrixXd& c, std::string& method)>;

/// Runs one linalg payload. `compression` may be null (always dense);
/// `product`, when set, computes the dense products (matmul, matvec) after
/// the payload has been validated. Never throws; a bad payload gives an
/// OpResult with the field and reason.
OpResult run_linalg(const nlohmann::json& payload, const PayloadLimits& limits,
                    FlopCompressionLayer* compression, const DenseProduct& product = {});

}  // namespace jarvis
