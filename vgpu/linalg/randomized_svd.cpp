#include "vgpu/linalg/randomized_svd.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "vgpu/linalg/thin_svd.h"

namespace jarvis {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;

MatrixXd gaussian(Index rows, Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> dist;
  MatrixXd g(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) g(i, j) = dist(rng);
  return g;
}

// Orthonormal basis of the columns of y (thin Householder QR).
MatrixXd orthonormal(const MatrixXd& y) {
  Eigen::HouseholderQR<MatrixXd> qr(y);
  return qr.householderQ() * MatrixXd::Identity(y.rows(), y.cols());
}

// y minus its projection on span(q), twice for numerical safety.
void project_out(const MatrixXd& q, MatrixXd& y) {
  if (q.cols() == 0) return;
  for (int pass = 0; pass < 2; ++pass) y.noalias() -= q * (q.transpose() * y);
}

// Halko et al., Lemma 4.1: ||(I - QQ^T)A|| <= 10 sqrt(2/pi) max_i ||(I - QQ^T) A g_i||
// with probability at least 1 - 10^-p over p Gaussian probes g_i.
double residual_bound(const MatrixXd& q, const MatrixXd& a_probes) {
  MatrixXd r = a_probes;
  project_out(q, r);
  return 10.0 * std::sqrt(2.0 / std::numbers::pi) * r.colwise().norm().maxCoeff();
}

}  // namespace

std::optional<LowRankBasis> factor_low_rank(const MatrixXd& a, double tolerance,
                                            const FactorOptions& options, uint64_t seed,
                                            std::string* why) {
  const Index m = a.rows(), n = a.cols();
  const Index max_rank = options.max_rank ? static_cast<Index>(options.max_rank)
                                          : std::max<Index>(1, std::min(m, n) / 4);
  const Index limit = std::min(std::min(m, n), max_rank + static_cast<Index>(options.oversampling));
  std::mt19937_64 rng(seed ^ options.seed);
  const MatrixXd probes = gaussian(n, std::max<Index>(1, options.probes), rng);
  const MatrixXd a_probes = a * probes;
  double norm_lower =
      (a_probes.colwise().norm().array() / probes.colwise().norm().array()).maxCoeff();
  MatrixXd q(m, 0);
  double bound = residual_bound(q, a_probes);
  double previous = bound;
  while (true) {
    if (bound <= tolerance * norm_lower && q.cols() >= 1) break;
    // A block that barely lowers the bound means a slowly decaying spectrum:
    // the tolerance will not be met at a rank that pays, so stop early.
    const bool stagnant =
        q.cols() >= 2 * static_cast<Index>(options.block) && bound > options.stagnation * previous;
    if (q.cols() >= limit || stagnant) {
      if (why)
        *why = std::string(stagnant ? "error bound stagnates"
                                    : "rank above " + std::to_string(max_rank)) +
               " (relative error bound " +
               std::to_string(norm_lower > 0 ? bound / norm_lower : 1.0) + " at " +
               std::to_string(q.cols()) + " columns)";
      return std::nullopt;
    }
    const Index k = std::min<Index>(options.block, limit - q.cols());
    MatrixXd y = a * gaussian(n, k, rng);
    for (uint32_t i = 0; i < options.power_iterations; ++i) {
      project_out(q, y);
      MatrixXd z = orthonormal(a.transpose() * orthonormal(y));
      y.noalias() = a * z;
    }
    project_out(q, y);
    MatrixXd qk = orthonormal(y);
    project_out(q, qk);  // keep the whole basis orthonormal
    qk = orthonormal(qk);
    MatrixXd grown(m, q.cols() + k);
    grown << q, qk;
    q.swap(grown);
    previous = bound;
    bound = residual_bound(q, a_probes);
  }
  // SVD of the small projection B = Q^T A, truncated as far as the bound allows.
  const MatrixXd b = q.transpose() * a;
  const ThinSvd svd = thin_svd(b, /*vectors=*/true);
  const auto& s = svd.values;
  norm_lower = std::max(norm_lower, s.size() ? s(0) : 0.0);
  Index r = s.size();
  while (r > 1 && bound + s(r - 1) <= tolerance * norm_lower) --r;
  const double tail = r < s.size() ? s(r) : 0.0;
  if (r > max_rank) {
    if (why) *why = "rank " + std::to_string(r) + " above " + std::to_string(max_rank);
    return std::nullopt;
  }
  LowRankBasis basis;
  basis.left = q * (svd.u.leftCols(r) * s.head(r).asDiagonal());
  basis.right = svd.v.leftCols(r);
  basis.error_bound = bound + tail;
  basis.norm_estimate = norm_lower;
  basis.probes = options.probes;
  return basis;
}

}  // namespace jarvis
