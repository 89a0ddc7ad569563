// FlopCompressionLayer: low-rank bases for matrices that recur.
//
// Design. Each product operand A above a minimum size is identified by the
// SHA-256 of its shape and contents (matrix_digest). The layer counts
// sightings per digest (a bounded FIFO of counters); on the N-th sighting it
// factors A once, outside its lock, by randomized SVD (randomized_svd.h) and
// keeps the basis only when it pays, r * (m + n) <= max_cost_ratio * m * n,
// and its a-posteriori relative error bound is within the request's
// tolerance (default 1e-12: only matrices of exact low rank). A matrix that
// fails is remembered as refused at that tolerance and is not factored again
// unless a looser tolerance is asked for; it is never approximated. Bases
// are bounded by count and bytes and evicted by CLOCK (a use sets a
// reference bit; the hand spares a referenced basis once). One mutex guards
// the tables; a digest being factored is marked so that other threads use
// the dense path meanwhile instead of factoring it twice.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include "hashcore/backend.h"
#include "hashcore/sha256.h"
#include "vgpu/linalg/randomized_svd.h"

namespace jarvis {

struct CompressionOptions {
  uint64_t max_bases = 1024;
  uint64_t max_bytes = 1ull << 30;   ///< factor storage, bytes
  uint32_t min_sightings = 2;        ///< factor on this sighting of a digest
  double default_tolerance = 1e-12;  ///< relative spectral error a request accepts by default
  double max_cost_ratio = 0.25;      ///< keep a basis only if r(m+n) <= this * m*n
  uint64_t min_elements = 64 * 64;   ///< smaller operands are always dense
  uint64_t max_tracked = 65536;      ///< sighting counters and refusals remembered
  FactorOptions factor;
};

struct CompressionStats {
  uint64_t factorizations = 0;  ///< bases built
  uint64_t refusals = 0;        ///< matrices factored and found not low-rank enough
  uint64_t evictions = 0;
  uint64_t bases = 0, bytes = 0;
  uint64_t products = 0;        ///< products served from a basis
  uint64_t flops_avoided = 0;   ///< dense FLOPs minus low-rank FLOPs over those products
  double factor_seconds = 0.0;  ///< wall time spent factoring (including refusals)
  nlohmann::json to_json() const;
};

using MatrixDigest = synthminer::hashcore::Digest;

class FlopCompressionLayer {
 public:
  explicit FlopCompressionLayer(CompressionOptions options = {});

  /// SHA-256 of "f64" + rows + cols (8 bytes each, little-endian) + the
  /// SHA-256 of the column-major doubles: equal for equal matrices on this
  /// platform. `sha` is an optional one-lane SHA-NI backend (digest.h).
  static MatrixDigest matrix_digest(const Eigen::MatrixXd& a,
                                    const synthminer::hashcore::Backend* sha = nullptr);
  /// matrix_digest with the backend given to use_sha_backend().
  MatrixDigest digest(const Eigen::MatrixXd& a) const { return matrix_digest(a, sha_.load()); }
  /// Hashes matrices with `sha` (a self-tested one-lane backend) from now on.
  void use_sha_backend(const synthminer::hashcore::Backend* sha) { sha_.store(sha); }

  /// Counts a sighting of `a` and returns a basis for it whose relative
  /// error bound is <= `tolerance` (held, or built now on the N-th sighting),
  /// or null: use the dense product. Thread-safe; may factor on this thread.
  std::shared_ptr<const LowRankBasis> observe(const MatrixDigest& digest, const Eigen::MatrixXd& a,
                                              double tolerance);
  /// observe() for an m x n matrix held elsewhere (a stored tensor):
  /// `materialize` is called only when this sighting factors it.
  std::shared_ptr<const LowRankBasis> observe(const MatrixDigest& digest, Eigen::Index rows,
                                              Eigen::Index cols,
                                              const std::function<Eigen::MatrixXd()>& materialize,
                                              double tolerance);
  /// A held basis within `tolerance`, or null. Thread-safe.
  std::shared_ptr<const LowRankBasis> find(const MatrixDigest& digest, double tolerance);

  /// left * (right^T * x); FLOPs done: 2 * r * (m + n) * x.cols().
  static Eigen::MatrixXd apply(const LowRankBasis& basis, const Eigen::MatrixXd& x);
  static uint64_t apply_flops(const LowRankBasis& basis, Eigen::Index columns);
  /// Counts one product served from a basis and the dense FLOPs it avoided.
  void record_product(uint64_t flops_avoided);

  CompressionStats stats() const;
  const CompressionOptions& options() const { return options_; }

 private:
  struct DigestHash {
    size_t operator()(const MatrixDigest& d) const;
  };
  struct Slot {
    std::shared_ptr<const LowRankBasis> basis;
    bool referenced = false;
  };

  std::shared_ptr<const LowRankBasis> held_locked(const MatrixDigest& digest, double tolerance);
  void remember_locked(std::unordered_map<MatrixDigest, double, DigestHash>& table,
                       std::deque<MatrixDigest>& order, const MatrixDigest& digest, double value);
  void store_locked(const MatrixDigest& digest, std::shared_ptr<const LowRankBasis> basis);

  CompressionOptions options_;
  std::atomic<const synthminer::hashcore::Backend*> sha_{nullptr};
  mutable std::mutex mu_;  // guards everything below
  std::unordered_map<MatrixDigest, Slot, DigestHash> bases_;
  std::deque<MatrixDigest> clock_;
  std::unordered_map<MatrixDigest, double, DigestHash> sightings_;  // digest -> count
  std::deque<MatrixDigest> sighting_order_;
  std::unordered_map<MatrixDigest, double, DigestHash> refused_;  // digest -> tolerance tried
  std::deque<MatrixDigest> refused_order_;
  std::set<MatrixDigest> in_progress_;
  CompressionStats stats_;
};

}  // namespace jarvis
