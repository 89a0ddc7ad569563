#include "vgpu/linalg_ops.h"

#include <string>
#include <vector>

#include "vgpu/payload_parse.h"

namespace jarvis {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using nlohmann::json;

std::string shape_text(const MatrixXd& m) {
  return std::to_string(m.rows()) + " x " + std::to_string(m.cols());
}

// The right operand of a product or solve: "vector" (a column) or "other".
struct RightOperand {
  MatrixXd value;
  bool is_vector = false;
};

std::string parse_right(const json& payload, const PayloadLimits& limits, RightOperand& out) {
  const bool has_vector = payload.contains("vector");
  const bool has_other = payload.contains("other");
  if (has_vector == has_other) return "vector: give exactly one of \"vector\" or \"other\"";
  if (has_vector) {
    std::vector<double> v;
    if (auto err = parse_vector(payload["vector"], "vector", limits.max_matrix_dim, v);
        !err.empty())
      return err;
    out.value = Eigen::Map<const VectorXd>(v.data(), static_cast<Index>(v.size()));
    out.is_vector = true;
    return {};
  }
  return parse_matrix(payload["other"], "other", limits.max_matrix_elements, limits.max_matrix_dim,
                      out.value);
}

json value_json(const MatrixXd& m, bool as_vector) {
  if (as_vector) return vector_to_json(m.col(0));
  return matrix_to_json(m);
}

json shape_json(const MatrixXd& m, bool as_vector) {
  return as_vector ? json::array({m.rows()}) : json::array({m.rows(), m.cols()});
}

json exact_result(json value, json shape) {
  return json{{"value", std::move(value)},
              {"shape", std::move(shape)},
              {"exact", true},
              {"error_bound", 0.0},
              {"method", "dense"}};
}

OpResult run_product(const json& payload, const PayloadLimits& limits, const MatrixXd& a) {
  RightOperand right;
  if (auto err = parse_right(payload, limits, right); !err.empty()) return OpResult::failure(err);
  const MatrixXd& b = right.value;
  if (b.rows() != a.cols())
    return OpResult::failure(std::string(right.is_vector ? "vector" : "other") + ": has " +
                             std::to_string(b.rows()) + (right.is_vector ? " entries" : " rows") +
                             ", expected " + std::to_string(a.cols()) + " (matrix is " +
                             shape_text(a) + ")");
  const double flops = 2.0 * static_cast<double>(a.rows()) * static_cast<double>(a.cols()) *
                       static_cast<double>(b.cols());
  if (flops > static_cast<double>(limits.max_product_flops))
    return OpResult::failure("matrix: the product needs " + std::to_string(flops) +
                             " FLOPs, over the limit of " +
                             std::to_string(limits.max_product_flops));
  MatrixXd c = a * b;
  return OpResult::success(
      exact_result(value_json(c, right.is_vector), shape_json(c, right.is_vector)),
      static_cast<uint64_t>(flops));
}

OpResult run_solve(const json& payload, const PayloadLimits& limits, const MatrixXd& a) {
  if (a.rows() != a.cols())
    return OpResult::failure("matrix: solve needs a square matrix, got " + shape_text(a));
  if (static_cast<uint64_t>(a.rows()) > limits.max_factor_dim)
    return OpResult::failure("matrix: " + shape_text(a) + " exceeds the solve limit of " +
                             std::to_string(limits.max_factor_dim));
  RightOperand right;
  if (auto err = parse_right(payload, limits, right); !err.empty()) return OpResult::failure(err);
  const MatrixXd& b = right.value;
  if (b.rows() != a.rows())
    return OpResult::failure(std::string(right.is_vector ? "vector" : "other") + ": has " +
                             std::to_string(b.rows()) + (right.is_vector ? " entries" : " rows") +
                             ", expected " + std::to_string(a.rows()));
  Eigen::PartialPivLU<MatrixXd> lu(a);
  const double rcond = lu.rcond();
  if (!(rcond > 1e-14))
    return OpResult::failure("matrix: singular or too ill-conditioned to solve (rcond estimate " +
                             std::to_string(rcond) + ")");
  MatrixXd x = lu.solve(b);
  const double n = static_cast<double>(a.rows());
  const double flops = 2.0 * n * n * n / 3.0 + 2.0 * n * n * static_cast<double>(b.cols());
  json result = exact_result(value_json(x, right.is_vector), shape_json(x, right.is_vector));
  result["residual_norm"] = (a * x - b).norm();
  result["rcond_estimate"] = rcond;
  result["method"] = "lu-partial-pivoting";
  return OpResult::success(std::move(result), static_cast<uint64_t>(flops));
}

OpResult run_svd(const json& payload, const PayloadLimits& limits, const MatrixXd& a) {
  if (static_cast<uint64_t>(std::max(a.rows(), a.cols())) > limits.max_factor_dim)
    return OpResult::failure("matrix: " + shape_text(a) + " exceeds the svd limit of " +
                             std::to_string(limits.max_factor_dim));
  bool vectors = false;
  if (auto err = read_bool(payload, "vectors", vectors); !err.empty())
    return OpResult::failure(err);
  const unsigned options = vectors ? (Eigen::ComputeThinU | Eigen::ComputeThinV) : 0u;
  Eigen::BDCSVD<MatrixXd> svd(a, options);
  json result = exact_result(vector_to_json(svd.singularValues()),
                             json::array({svd.singularValues().size()}));
  result["method"] = "bdcsvd";
  if (vectors) {
    result["u"] = matrix_to_json(svd.matrixU());
    result["v"] = matrix_to_json(svd.matrixV());
  }
  // Textbook counts (Golub & Van Loan, Table 8.6.1) for m >= n, transposed otherwise.
  const double m = static_cast<double>(std::max(a.rows(), a.cols()));
  const double n = static_cast<double>(std::min(a.rows(), a.cols()));
  const double flops = vectors ? 4.0 * m * m * n + 8.0 * m * n * n + 9.0 * n * n * n
                               : 4.0 * m * n * n - 4.0 * n * n * n / 3.0;
  return OpResult::success(std::move(result), static_cast<uint64_t>(flops));
}

}  // namespace

OpResult run_linalg(const json& payload, const PayloadLimits& limits,
                    FlopCompressionLayer* /*compression*/) {
  if (!payload.is_object()) return OpResult::failure("payload: expected a JSON object");
  std::string op;
  if (auto err = read_string(payload, "operation", true, op); !err.empty())
    return OpResult::failure(err);
  if (op != "matmul" && op != "matvec" && op != "transpose" && op != "solve" && op != "svd")
    return OpResult::failure("operation: unknown linalg operation \"" + op +
                             "\" (matmul, matvec, transpose, solve, svd)");
  MatrixXd a;
  if (auto err = parse_matrix(payload.contains("matrix") ? payload["matrix"] : json(), "matrix",
                              limits.max_matrix_elements, limits.max_matrix_dim, a);
      !err.empty())
    return OpResult::failure(err);
  if (op == "matmul" || op == "matvec") {
    if (op == "matvec" && !payload.contains("vector"))
      return OpResult::failure("vector: missing (matvec multiplies by a vector)");
    return run_product(payload, limits, a);
  }
  if (op == "transpose") {
    MatrixXd t = a.transpose();
    return OpResult::success(exact_result(matrix_to_json(t), shape_json(t, false)), 0);
  }
  if (op == "solve") return run_solve(payload, limits, a);
  return run_svd(payload, limits, a);
}

}  // namespace jarvis
