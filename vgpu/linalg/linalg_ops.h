// The `linalg` workload: dense float64 linear algebra through Eigen.
//
// Payload: {"operation": "matmul" | "matvec" | "transpose" | "solve" | "svd",
//           "matrix": A (array of rows, or a flat array read as one row),
//           "vector": x            (matmul/matvec/solve: A x, or A x = b),
//           "other": B             (matmul: A B; solve: A X = B; instead of vector),
//           "vectors": bool        (svd: also return u and v; default false),
//           "tolerance": t         (relative error a low-rank basis may add; default 1e-12),
//           "compress": bool       (let FlopCompressionLayer serve A; default true),
//           "output": "json" | "tensor" (the value as numbers, or as a new stored tensor)}
// matrix, vector and other may each be {"tensor": "<id>"}, a stored tensor.
// Result: {"value": ..., "shape": [m] | [m, n], "exact": bool, "error_bound": e,
//          "method": "dense" | "low-rank r=8" | ...} plus per-operation fields
// (see docs/VGPU.md). A 1-D answer is a flat array: the seed's example
// {"matrix":[1,2],"vector":[3,4],"operation":"matmul"} gives "value": [11.0].
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "vgpu/payload/op_result.h"
#include "vgpu/payload/payload_limits.h"
#include "vgpu/payload/stop_token.h"

namespace jarvis {

class FlopCompressionLayer;
class TensorStore;
struct StoredTensor;

/// A dense product c = a b computed elsewhere (a GPU's cuBLAS). Returns an
/// empty string on success, else why it failed; sets `method` (the result's
/// "method", e.g. "cublas-dgemm"). `b` has one column for a vector.
using DenseProduct = std::function<std::string(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                               Eigen::MatrixXd& c, std::string& method)>;

/// A dense product whose left operand is a stored float64 tensor, read where
/// it lies: `a` is rows x cols in C (row-major) order at a.array.data(), so
/// a device can keep its own copy of it (a.device_copies) and upload it once
/// for all the products that name it. Otherwise as DenseProduct.
using TensorProduct =
    std::function<std::string(const StoredTensor& a, Eigen::Index rows, Eigen::Index cols,
                              const Eigen::MatrixXd& b, Eigen::MatrixXd& c, std::string& method)>;

/// The smallest reciprocal condition estimate `solve` accepts; below it (or
/// NaN) the matrix is refused as singular or too ill-conditioned.
inline constexpr double kSolveMinRcond = 1e-14;

/// A dense solve computed elsewhere (a GPU's cuSOLVER): what DenseSolve fills.
struct DenseSolution {
  /// a^-1 b (rows of a x columns of b); may stay empty when `rcond` is not
  /// above kSolveMinRcond, since run_linalg then refuses the matrix.
  Eigen::MatrixXd x;
  /// The reciprocal L1 condition estimate of a (lu_rcond of its factors;
  /// 0 or NaN for an exactly singular a).
  double rcond = 0.0;
  std::string method;  ///< the result's "method", e.g. "cusolver-getrf"
};

/// Solves a x = b for a validated square `a` and `b` with a.rows() rows.
/// Returns an empty string on success, else why it failed.
using DenseSolve = std::function<std::string(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                             DenseSolution& out)>;

/// The reciprocal L1 condition estimate of n x n A from its LU factors as
/// LAPACK's (and cuSOLVER's) getrf leaves them: `lu` holds U on and above
/// the diagonal and L's multipliers below it (unit diagonal implied);
/// `ipiv` (n entries, 1-based) says row i was swapped with row ipiv[i] - 1,
/// for i = 0, 1, ... in order. `a_l1_norm` is A's largest column sum of
/// absolute values. Runs Eigen's estimator, the one PartialPivLU::rcond()
/// runs, so factors of the same A give the host's estimate up to rounding.
/// 0 when the shapes disagree or a pivot is out of range.
double lu_rcond(const Eigen::MatrixXd& lu, const std::vector<int>& ipiv, double a_l1_norm);

/// Runs one linalg payload. `compression` may be null (always dense);
/// `product`, when set, computes the dense products (matmul, matvec) and
/// `solve` the solves, each after the payload has been validated (without
/// them Eigen runs them here). Never throws; a bad payload gives an OpResult
/// with the field and reason.
/// `tensors`, when set, resolves operands given by id ({"tensor": "<id>"}
/// for matrix, vector or other) and takes "output": "tensor" results.
/// `tensor_product`, when set, computes the dense products whose matrix is
/// a float64 tensor (in place; others go to `product`).
/// `stop` is checked before the work and, in a dense product Eigen runs
/// here, between blocks of rows (blocked_product.h: a large product stops
/// within a fraction of a second); it throws Stopped. A solve, an SVD and a
/// product handed to `product` run whole once started; a host solve or SVD
/// of 1 GFLOP or more runs on a thread a shutdown or a reload leaves
/// (vgpu/payload/detachable_work.h).
OpResult run_linalg(const nlohmann::json& payload, const PayloadLimits& limits,
                    FlopCompressionLayer* compression, const DenseProduct& product = {},
                    const DenseSolve& solve = {}, TensorStore* tensors = nullptr,
                    const TensorProduct& tensor_product = {}, const StopToken& stop = {});

}  // namespace jarvis
