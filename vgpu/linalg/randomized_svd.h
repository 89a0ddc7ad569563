// Randomized low-rank factorisation with an a-posteriori error bound
// (Halko, Martinsson & Tropp 2011: the blocked adaptive range finder,
// Algorithm 4.2, with power iterations, then an SVD of the small projection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <Eigen/Dense>

namespace jarvis {

struct FactorOptions {
  uint32_t block = 32;        ///< sketch columns added per round
  uint32_t oversampling = 8;  ///< the sketch keeps at least this many columns beyond the rank
  /// (A A^T)^q passes per block. They only sharpen slowly decaying spectra
  /// (a smaller rank for the same bound); the a-posteriori bound is valid for
  /// any q, and each iteration costs two more passes over A, so 0 by default.
  uint32_t power_iterations = 0;
  /// Give up when a block leaves the bound above this fraction of its previous value.
  double stagnation = 0.9;
  uint32_t probes = 10;        ///< Gaussian probes of the error bound; failure prob <= 10^-probes
  uint64_t max_rank = 0;       ///< give up beyond this rank (0: min(m, n) / 4)
  uint64_t seed = 0x4a415256;  ///< PRNG seed (with the caller's digest): reproducible factors
};

/// A ≈ left * right^T with left = U_r * S_r (m x r) and right = V_r (n x r).
struct LowRankBasis {
  Eigen::MatrixXd left;
  Eigen::MatrixXd right;
  double error_bound = 0.0;  ///< bound on ||A - left right^T||_2, holds with prob >= 1 - 10^-probes
  double norm_estimate = 0.0;  ///< a lower bound on ||A||_2 (sigma_1 of the projection)
  uint32_t probes = 0;

  Eigen::Index rank() const { return left.cols(); }
  /// error_bound / norm_estimate: an upper bound on the relative spectral error.
  double relative_error_bound() const {
    return norm_estimate > 0 ? error_bound / norm_estimate : (error_bound > 0 ? 1.0 : 0.0);
  }
  uint64_t bytes() const {
    return static_cast<uint64_t>(left.size() + right.size()) * sizeof(double) + 256;
  }
};

/// Factors `a` so that the relative error bound is <= `tolerance`, with the
/// smallest rank the sketch finds. Returns nullopt, with `why` set, when the
/// rank needed exceeds options.max_rank (the matrix is not low-rank enough).
std::optional<LowRankBasis> factor_low_rank(const Eigen::MatrixXd& a, double tolerance,
                                            const FactorOptions& options, uint64_t seed,
                                            std::string* why = nullptr);

}  // namespace jarvis
