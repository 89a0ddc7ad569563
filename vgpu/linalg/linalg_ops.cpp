#include "vgpu/linalg/linalg_ops.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "vgpu/linalg/blocked_product.h"
#include "vgpu/linalg/flop_compression.h"
#include "vgpu/linalg/tensor_operand.h"
#include "vgpu/linalg/thin_svd.h"
#include "vgpu/payload/detachable_work.h"
#include "vgpu/payload/payload_parse.h"
#include "vgpu/payload/result_limit.h"
#include "vgpu/tensor/tensor_refs.h"

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

std::string parse_right(const json& payload, const PayloadLimits& limits, TensorStore* tensors,
                        RightOperand& out) {
  const bool has_vector = payload.contains("vector");
  const bool has_other = payload.contains("other");
  if (has_vector == has_other) return "vector: give exactly one of \"vector\" or \"other\"";
  const char* field = has_vector ? "vector" : "other";
  if (is_tensor_ref(payload[field])) {
    std::shared_ptr<const StoredTensor> tensor;
    if (auto err = resolve_tensor_ref(payload[field], field, tensors, tensor); !err.empty())
      return err;
    out.is_vector = has_vector;
    if (!has_vector) return tensor_matrix(*tensor, field, limits, out.value);
    VectorXd v;
    if (auto err = tensor_vector(*tensor, field, limits.max_matrix_dim, v); !err.empty())
      return err;
    out.value = v;
    return {};
  }
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

// Where a result's value goes: JSON numbers under "value", or with
// "output": "tensor" a new stored tensor, summarised under "tensor".
struct Output {
  TensorStore* store = nullptr;  // set when the value becomes a tensor
};

std::string read_output(const json& payload, TensorStore* tensors, Output& out) {
  std::string mode = "json";
  if (auto err = read_string(payload, "output", false, mode); !err.empty()) return err;
  if (mode == "json") return {};
  if (mode != "tensor") return "output: expected \"json\" or \"tensor\"";
  if (!tensors) return "output: \"tensor\" needs the tensor store, which is not available here";
  out.store = tensors;
  return {};
}

// Sets result["value"] (or result["tensor"]) to m, a vector when `as_vector`.
std::string emit_value(json& result, const MatrixXd& m, bool as_vector, const Output& output) {
  if (!output.store) {
    result["value"] = value_json(m, as_vector);
    return {};
  }
  const RowMajorMatrixXd rows = m;  // C order, as .npy holds it
  std::vector<uint64_t> shape = {static_cast<uint64_t>(m.rows())};
  if (!as_vector) shape.push_back(static_cast<uint64_t>(m.cols()));
  PutOutcome put = output.store->put(
      encode_npy(Dtype::kFloat64, std::move(shape), rows.data(), rows.size() * sizeof(double)));
  if (!put.tensor) return "output: " + put.error;
  json summary = tensor_summary(*put.tensor);
  summary.erase("bytes");
  result["tensor"] = std::move(summary);
  return {};
}

json shape_json(const MatrixXd& m, bool as_vector) {
  return as_vector ? json::array({m.rows()}) : json::array({m.rows(), m.cols()});
}

json exact_result(json shape) {
  return json{
      {"shape", std::move(shape)}, {"exact", true}, {"error_bound", 0.0}, {"method", "dense"}};
}

// Product settings from the payload: tolerance and whether a basis may serve A.
struct ProductOptions {
  double tolerance = 1e-12;
  bool compress = true;
};

std::string read_product_options(const json& payload, FlopCompressionLayer* compression,
                                 ProductOptions& out) {
  if (compression) out.tolerance = compression->options().default_tolerance;
  if (auto err = read_double(payload, "tolerance", 0.0, 1.0, out.tolerance); !err.empty())
    return err;
  return read_bool(payload, "compress", out.compress);
}

json low_rank_result(const MatrixXd& c, bool as_vector, const LowRankBasis& basis,
                     const MatrixXd& b, const MatrixDigest& digest) {
  json result = exact_result(shape_json(c, as_vector));
  result["exact"] = false;
  // ||(A - A_r) B||_F <= ||A - A_r||_2 ||B||_F.
  result["error_bound"] = basis.error_bound * b.norm();
  result["relative_error_bound"] = basis.relative_error_bound();
  result["method"] = "low-rank r=" + std::to_string(basis.rank());
  result["matrix_digest"] = to_hex(digest.data(), digest.size());
  return result;
}

// Refuses a result of rows x cols over the limit, before anything is computed.
std::optional<OpResult> refuse_large_result(Index rows, Index cols, const PayloadLimits& limits) {
  const auto elements = static_cast<uint64_t>(rows) * static_cast<uint64_t>(cols);
  std::string err = result_over_limit(std::to_string(rows) + " x " + std::to_string(cols), elements,
                                      limits.max_result_elements);
  if (err.empty()) return std::nullopt;
  return OpResult::too_large(std::move(err));
}

// The left operand of a product: a matrix parsed from JSON (or copied out
// of a tensor), or a stored float64 tensor read in place, with its content
// digest standing in for the matrix digest.
struct LeftOperand {
  const MatrixXd* dense = nullptr;
  std::optional<Eigen::Map<const RowMajorMatrixXd>> view;
  std::optional<MatrixDigest> digest;    // known without hashing (a tensor's)
  const StoredTensor* tensor = nullptr;  // the float64 tensor `view` reads in place

  Index rows() const { return dense ? dense->rows() : view->rows(); }
  Index cols() const { return dense ? dense->cols() : view->cols(); }
  // A b, `stop` checked between blocks of rows (blocked_product.h).
  MatrixXd times(const MatrixXd& b, const StopToken& stop) const {
    MatrixXd c(rows(), b.cols());
    const Index block = product_block_rows(cols(), b.cols());
    if (dense)
      product_in_blocks(*dense, b, c, block, stop);
    else
      product_in_blocks(*view, b, c, block, stop);
    return c;
  }
  MatrixXd copy() const { return dense ? *dense : MatrixXd(*view); }
};

// Runs `work` and adds its wall time to `seconds` (OpResult::compute_seconds).
template <typename Work>
void timed(double& seconds, Work&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A x or A B, from a low-rank basis of A when the compression layer holds or
// builds one within the tolerance, else dense. `a` is null for "matrix_ref".
// Every shape, the result's size and the FLOPs are checked before a basis is
// built or anything multiplied.
OpResult run_product(const json& payload, const PayloadLimits& limits, const LeftOperand* a,
                     const MatrixDigest* ref, FlopCompressionLayer* compression,
                     const DenseProduct& product, const TensorProduct& tensor_product,
                     TensorStore* tensors, const Output& output, const StopToken& stop) {
  ProductOptions options;
  if (auto err = read_product_options(payload, compression, options); !err.empty())
    return OpResult::failure(err);
  std::shared_ptr<const LowRankBasis> basis;
  MatrixDigest digest{};
  bool digested = false;
  if (ref) {
    digest = *ref;
    digested = true;
    basis = compression ? compression->find(digest, options.tolerance) : nullptr;
    if (!basis)
      return OpResult::failure(
          "matrix_ref: no low-rank basis within the tolerance is held for this digest; send "
          "\"matrix\" instead");
  }
  const Index rows = basis ? basis->left.rows() : a->rows();
  const Index inner = basis ? basis->right.rows() : a->cols();
  RightOperand right;
  if (auto err = parse_right(payload, limits, tensors, right); !err.empty())
    return OpResult::failure(err);
  const MatrixXd& b = right.value;
  if (b.rows() != inner)
    return OpResult::failure(std::string(right.is_vector ? "vector" : "other") + ": has " +
                             std::to_string(b.rows()) + (right.is_vector ? " entries" : " rows") +
                             ", expected " + std::to_string(inner) + " (matrix is " +
                             std::to_string(rows) + " x " + std::to_string(inner) + ")");
  if (auto refused = refuse_large_result(rows, b.cols(), limits)) return *refused;
  const double dense_flops =
      2.0 * static_cast<double>(rows) * static_cast<double>(inner) * static_cast<double>(b.cols());
  if (dense_flops > static_cast<double>(limits.max_product_flops))
    return OpResult::failure("matrix: the product needs " + std::to_string(dense_flops) +
                             " FLOPs, over the limit of " +
                             std::to_string(limits.max_product_flops));
  if (!ref && compression && options.compress &&
      static_cast<uint64_t>(rows * inner) >= compression->options().min_elements) {
    digest = a->digest ? *a->digest : compression->digest(*a->dense);
    digested = true;
    basis = compression->observe(
        digest, rows, inner, [a] { return a->copy(); }, options.tolerance);
  }
  double compute = 0.0;
  if (basis) {
    MatrixXd c;
    timed(compute, [&] { c = FlopCompressionLayer::apply(*basis, b); });
    json value = low_rank_result(c, right.is_vector, *basis, b, digest);
    if (auto err = emit_value(value, c, right.is_vector, output); !err.empty())
      return OpResult::failure(err);
    OpResult r =
        OpResult::success(std::move(value), FlopCompressionLayer::apply_flops(*basis, b.cols()));
    const auto dense = static_cast<uint64_t>(dense_flops);
    r.flops_avoided = dense > r.flops ? dense - r.flops : 0;
    r.compute_seconds = compute;
    compression->record_product(r.flops_avoided);
    return r;
  }
  MatrixXd c;
  std::string method = "dense";
  if (tensor_product && a->tensor) {
    std::string err;
    timed(compute, [&] { err = tensor_product(*a->tensor, a->rows(), a->cols(), b, c, method); });
    if (!err.empty()) return OpResult::failure(err);
  } else if (product) {
    const MatrixXd copied = a->dense ? MatrixXd() : a->copy();
    std::string err;
    timed(compute, [&] { err = product(a->dense ? *a->dense : copied, b, c, method); });
    if (!err.empty()) return OpResult::failure(err);
  } else {
    timed(compute, [&] { c = a->times(b, stop); });
  }
  json result = exact_result(shape_json(c, right.is_vector));
  if (auto err = emit_value(result, c, right.is_vector, output); !err.empty())
    return OpResult::failure(err);
  result["method"] = method;
  if (digested) result["matrix_digest"] = to_hex(digest.data(), digest.size());
  OpResult r = OpResult::success(std::move(result), static_cast<uint64_t>(dense_flops));
  r.compute_seconds = compute;
  return r;
}

// P A = L U in getrf's packed form, with the two solves Eigen's condition
// estimator asks of a decomposition (solve and adjoint().solve), done as
// PartialPivLU does them.
class PackedLu {
 public:
  using MatrixType = MatrixXd;
  using Scalar = double;
  using RealScalar = double;

  PackedLu(const MatrixXd& lu, const std::vector<int>& ipiv) : lu_(lu), p_(lu.rows()) {
    Eigen::Transpositions<Eigen::Dynamic> swaps(lu.rows());
    for (Index i = 0; i < lu.rows(); ++i) swaps.coeffRef(i) = ipiv[static_cast<size_t>(i)] - 1;
    p_ = swaps;  // the product of the swaps, as PartialPivLU forms permutationP()
  }
  Index rows() const { return lu_.rows(); }
  Index cols() const { return lu_.cols(); }

  // A^-1 b = U^-1 L^-1 P b.
  VectorXd solve(const VectorXd& b) const {
    VectorXd x = p_ * b;
    lu_.triangularView<Eigen::UnitLower>().solveInPlace(x);
    lu_.triangularView<Eigen::Upper>().solveInPlace(x);
    return x;
  }

  // A^-T b = P^T L^-T U^-T b.
  struct Adjoint {
    const PackedLu& lu;
    VectorXd solve(const VectorXd& b) const {
      VectorXd x = b;
      lu.lu_.triangularView<Eigen::Upper>().transpose().solveInPlace(x);
      lu.lu_.triangularView<Eigen::UnitLower>().transpose().solveInPlace(x);
      return lu.p_.transpose() * x;
    }
  };
  Adjoint adjoint() const { return Adjoint{*this}; }

 private:
  const MatrixXd& lu_;
  Eigen::PermutationMatrix<Eigen::Dynamic> p_;
};

// A solve or SVD of at least this many FLOPs (a tenth of a second or more
// here) runs on a thread a shutdown or a reload can leave (detachable_work.h).
constexpr double kDetachableStepFlops = 1e9;

// Runs `work` inline, or detachable when `flops` make it long.
template <typename Work>
auto run_step(double flops, const StopToken& stop, Work work) -> decltype(work()) {
  if (flops < kDetachableStepFlops) return work();
  return run_detachable(std::move(work), stop);
}

// The host's solve: A's LU factors, their condition estimate and, when A is
// not refused as singular, A^-1 B.
DenseSolution host_solve(const MatrixXd& a, const MatrixXd& b) {
  DenseSolution out;
  Eigen::PartialPivLU<MatrixXd> lu(a);
  out.rcond = lu.rcond();
  // An exactly zero pivot is singular whatever the estimate says (Eigen's
  // estimator can return 1 for diag(1, 0, 0)); cuSOLVER's devInfo > 0 alike.
  if ((lu.matrixLU().diagonal().array() == 0.0).any()) out.rcond = 0.0;
  if (out.rcond > kSolveMinRcond) out.x = lu.solve(b);
  out.method = "lu-partial-pivoting";
  return out;
}

OpResult refuse_singular(double rcond) {
  return OpResult::failure("matrix: singular or too ill-conditioned to solve (rcond estimate " +
                           std::to_string(rcond) + ")");
}

OpResult run_solve(const json& payload, const PayloadLimits& limits, const MatrixXd& a,
                   const DenseSolve& dense_solve, TensorStore* tensors, const Output& output,
                   const StopToken& stop) {
  if (a.rows() != a.cols())
    return OpResult::failure("matrix: solve needs a square matrix, got " + shape_text(a));
  if (static_cast<uint64_t>(a.rows()) > limits.max_factor_dim)
    return OpResult::failure("matrix: " + shape_text(a) + " exceeds the solve limit of " +
                             std::to_string(limits.max_factor_dim));
  RightOperand right;
  if (auto err = parse_right(payload, limits, tensors, right); !err.empty())
    return OpResult::failure(err);
  const MatrixXd& b = right.value;
  if (b.rows() != a.rows())
    return OpResult::failure(std::string(right.is_vector ? "vector" : "other") + ": has " +
                             std::to_string(b.rows()) + (right.is_vector ? " entries" : " rows") +
                             ", expected " + std::to_string(a.rows()));
  if (auto refused = refuse_large_result(a.rows(), b.cols(), limits)) return *refused;
  const double n = static_cast<double>(a.rows());
  const double flops = 2.0 * n * n * n / 3.0 + 2.0 * n * n * static_cast<double>(b.cols());
  DenseSolution s;
  double compute = 0.0;
  if (dense_solve) {
    std::string err;
    timed(compute, [&] { err = dense_solve(a, b, s); });
    if (!err.empty()) return OpResult::failure(err);
    if (!(s.rcond > kSolveMinRcond)) return refuse_singular(s.rcond);
    if (s.x.rows() != a.rows() || s.x.cols() != b.cols())
      return OpResult::failure("matrix: the solve returned " + shape_text(s.x) + ", expected " +
                               std::to_string(a.rows()) + " x " + std::to_string(b.cols()));
  } else {
    timed(compute, [&] { s = run_step(flops, stop, [a, b] { return host_solve(a, b); }); });
    if (!(s.rcond > kSolveMinRcond)) return refuse_singular(s.rcond);
  }
  json result = exact_result(shape_json(s.x, right.is_vector));
  if (auto err = emit_value(result, s.x, right.is_vector, output); !err.empty())
    return OpResult::failure(err);
  result["residual_norm"] = (a * s.x - b).norm();
  result["rcond_estimate"] = s.rcond;
  result["method"] = s.method;
  OpResult r = OpResult::success(std::move(result), static_cast<uint64_t>(flops));
  r.compute_seconds = compute;
  return r;
}

OpResult run_svd(const json& payload, const PayloadLimits& limits, const MatrixXd& a,
                 const Output& output, const StopToken& stop) {
  if (static_cast<uint64_t>(std::max(a.rows(), a.cols())) > limits.max_factor_dim)
    return OpResult::failure("matrix: " + shape_text(a) + " exceeds the svd limit of " +
                             std::to_string(limits.max_factor_dim));
  bool vectors = false;
  if (auto err = read_bool(payload, "vectors", vectors); !err.empty())
    return OpResult::failure(err);
  // Singular values, and with vectors the thin factors u (m x k) and v (n x k).
  const auto k = static_cast<uint64_t>(std::min(a.rows(), a.cols()));
  const uint64_t elements =
      k + (vectors ? (static_cast<uint64_t>(a.rows()) + static_cast<uint64_t>(a.cols())) * k : 0);
  if (auto err = result_over_limit(
          vectors ? "svd with vectors of " + shape_text(a) : "svd of " + shape_text(a), elements,
          limits.max_result_elements);
      !err.empty())
    return OpResult::too_large(std::move(err));
  // Textbook counts (Golub & Van Loan, Table 8.6.1) for m >= n, transposed otherwise.
  const double m = static_cast<double>(std::max(a.rows(), a.cols()));
  const double n = static_cast<double>(std::min(a.rows(), a.cols()));
  const double flops = vectors ? 4.0 * m * m * n + 8.0 * m * n * n + 9.0 * n * n * n
                               : 4.0 * m * n * n - 4.0 * n * n * n / 3.0;
  double compute = 0.0;
  ThinSvd svd;
  timed(compute,
        [&] { svd = run_step(flops, stop, [a, vectors] { return thin_svd(a, vectors); }); });
  json result = exact_result(json::array({svd.values.size()}));
  if (auto err = emit_value(result, svd.values, true, output); !err.empty())
    return OpResult::failure(err);
  result["method"] = "bdcsvd";
  if (vectors) {
    result["u"] = matrix_to_json(svd.u);
    result["v"] = matrix_to_json(svd.v);
  }
  OpResult r = OpResult::success(std::move(result), static_cast<uint64_t>(flops));
  r.compute_seconds = compute;
  return r;
}

}  // namespace

double lu_rcond(const MatrixXd& lu, const std::vector<int>& ipiv, double a_l1_norm) {
  if (lu.rows() != lu.cols() || static_cast<size_t>(lu.rows()) != ipiv.size()) return 0.0;
  for (const int p : ipiv)
    if (p < 1 || p > lu.rows()) return 0.0;  // not getrf's pivots
  return Eigen::internal::rcond_estimate_helper(a_l1_norm, PackedLu(lu, ipiv));
}

OpResult run_linalg(const json& payload, const PayloadLimits& limits,
                    FlopCompressionLayer* compression, const DenseProduct& dense_product,
                    const DenseSolve& dense_solve, TensorStore* tensors,
                    const TensorProduct& tensor_product, const StopToken& stop) {
  stop.check();
  if (!payload.is_object()) return OpResult::failure("payload: expected a JSON object");
  std::string op;
  if (auto err = read_string(payload, "operation", true, op); !err.empty())
    return OpResult::failure(err);
  if (op != "matmul" && op != "matvec" && op != "transpose" && op != "solve" && op != "svd")
    return OpResult::failure("operation: unknown linalg operation \"" + op +
                             "\" (matmul, matvec, transpose, solve, svd)");
  const bool product = op == "matmul" || op == "matvec";
  Output output;
  if (auto err = read_output(payload, tensors, output); !err.empty()) return OpResult::failure(err);
  if (product && op == "matvec" && !payload.contains("vector"))
    return OpResult::failure("vector: missing (matvec multiplies by a vector)");
  if (product && payload.contains("matrix_ref")) {
    if (payload.contains("matrix"))
      return OpResult::failure("matrix_ref: give matrix or matrix_ref, not both");
    std::string hex;
    std::vector<uint8_t> bytes;
    if (auto err = read_string(payload, "matrix_ref", true, hex); !err.empty())
      return OpResult::failure(err);
    if (auto err = from_hex(hex, "matrix_ref", bytes); !err.empty()) return OpResult::failure(err);
    if (bytes.size() != 32) return OpResult::failure("matrix_ref: expected 64 hex digits");
    MatrixDigest ref;
    std::copy(bytes.begin(), bytes.end(), ref.begin());
    return run_product(payload, limits, nullptr, &ref, compression, dense_product, tensor_product,
                       tensors, output, stop);
  }
  const json& matrix = payload.contains("matrix") ? payload["matrix"] : json();
  MatrixXd a;
  if (is_tensor_ref(matrix)) {
    std::shared_ptr<const StoredTensor> tensor;
    if (auto err = resolve_tensor_ref(matrix, "matrix", tensors, tensor); !err.empty())
      return OpResult::failure(err);
    if (product) {
      // Read in place: the tensor outlives the product (held here).
      LeftOperand left;
      RowMajorMatrixXd widened;
      if (auto err = tensor_matrix_view(*tensor, "matrix", limits, left.view, widened);
          !err.empty())
        return OpResult::failure(err);
      if (tensor->array.dtype == Dtype::kFloat64) {
        left.digest = tensor->digest;
        left.tensor = tensor.get();
      }
      return run_product(payload, limits, &left, nullptr, compression, dense_product,
                         tensor_product, tensors, output, stop);
    }
    if (auto err = tensor_matrix(*tensor, "matrix", limits, a); !err.empty())
      return OpResult::failure(err);
  } else if (auto err = parse_matrix(matrix, "matrix", limits.max_matrix_elements,
                                     limits.max_matrix_dim, a);
             !err.empty()) {
    return OpResult::failure(err);
  }
  if (product) {
    LeftOperand left;
    left.dense = &a;
    return run_product(payload, limits, &left, nullptr, compression, dense_product, tensor_product,
                       tensors, output, stop);
  }
  if (op == "transpose") {
    if (auto refused = refuse_large_result(a.cols(), a.rows(), limits)) return *refused;
    MatrixXd t = a.transpose();
    json result = exact_result(shape_json(t, false));
    if (auto err = emit_value(result, t, false, output); !err.empty())
      return OpResult::failure(err);
    return OpResult::success(std::move(result), 0);
  }
  if (op == "solve") return run_solve(payload, limits, a, dense_solve, tensors, output, stop);
  return run_svd(payload, limits, a, output, stop);
}

}  // namespace jarvis
