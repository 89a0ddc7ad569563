#include "vgpu/linalg/flop_compression.h"

#include <algorithm>

#include "vgpu/cache/digest.h"

#include <chrono>
#include <cstring>

namespace jarvis {

using Eigen::MatrixXd;

nlohmann::json CompressionStats::to_json() const {
  return {{"factorizations", factorizations},
          {"refusals", refusals},
          {"evictions", evictions},
          {"bases_held", bases},
          {"bytes", bytes},
          {"products_from_bases", products},
          {"flops_avoided", flops_avoided},
          {"factor_seconds", factor_seconds}};
}

size_t FlopCompressionLayer::DigestHash::operator()(const MatrixDigest& d) const {
  size_t v;
  std::memcpy(&v, d.data(), sizeof v);
  return v;
}

FlopCompressionLayer::FlopCompressionLayer(CompressionOptions options) : options_(options) {}

MatrixDigest FlopCompressionLayer::matrix_digest(const MatrixXd& a,
                                                 const synthminer::hashcore::Backend* sha) {
  uint8_t message[19 + 32] = {'f', '6', '4'};
  const uint64_t rows = static_cast<uint64_t>(a.rows()), cols = static_cast<uint64_t>(a.cols());
  for (int i = 0; i < 8; ++i) {
    message[3 + i] = static_cast<uint8_t>(rows >> (8 * i));
    message[11 + i] = static_cast<uint8_t>(cols >> (8 * i));
  }
  const MatrixDigest data = digest_bytes(std::span(reinterpret_cast<const uint8_t*>(a.data()),
                                                   static_cast<size_t>(a.size()) * sizeof(double)),
                                         sha);
  std::copy(data.begin(), data.end(), message + 19);
  return synthminer::hashcore::sha256(message);
}

std::shared_ptr<const LowRankBasis> FlopCompressionLayer::held_locked(const MatrixDigest& digest,
                                                                      double tolerance) {
  auto it = bases_.find(digest);
  if (it == bases_.end() || it->second.basis->relative_error_bound() > tolerance) return nullptr;
  it->second.referenced = true;
  return it->second.basis;
}

void FlopCompressionLayer::remember_locked(
    std::unordered_map<MatrixDigest, double, DigestHash>& table, std::deque<MatrixDigest>& order,
    const MatrixDigest& digest, double value) {
  auto [it, inserted] = table.try_emplace(digest, value);
  if (!inserted) {
    it->second = value;
    return;
  }
  order.push_back(digest);
  while (order.size() > options_.max_tracked) {
    table.erase(order.front());
    order.pop_front();
  }
}

void FlopCompressionLayer::store_locked(const MatrixDigest& digest,
                                        std::shared_ptr<const LowRankBasis> basis) {
  auto it = bases_.find(digest);
  if (it != bases_.end()) {
    stats_.bytes -= it->second.basis->bytes();
    it->second.basis = std::move(basis);
    stats_.bytes += it->second.basis->bytes();
  } else {
    stats_.bytes += basis->bytes();
    bases_.emplace(digest, Slot{std::move(basis), false});
    clock_.push_back(digest);
  }
  while (!clock_.empty() &&
         (bases_.size() > options_.max_bases || stats_.bytes > options_.max_bytes)) {
    MatrixDigest victim = clock_.front();
    clock_.pop_front();
    auto v = bases_.find(victim);
    if (v == bases_.end()) continue;
    if (v->second.referenced && victim != digest) {
      v->second.referenced = false;
      clock_.push_back(victim);
      continue;
    }
    stats_.bytes -= v->second.basis->bytes();
    bases_.erase(v);
    ++stats_.evictions;
  }
  stats_.bases = bases_.size();
}

std::shared_ptr<const LowRankBasis> FlopCompressionLayer::observe(const MatrixDigest& digest,
                                                                  const MatrixXd& a,
                                                                  double tolerance) {
  return observe(
      digest, a.rows(), a.cols(), [&a] { return a; }, tolerance);
}

std::shared_ptr<const LowRankBasis> FlopCompressionLayer::observe(
    const MatrixDigest& digest, Eigen::Index rows, Eigen::Index cols,
    const std::function<MatrixXd()>& materialize, double tolerance) {
  const uint64_t m = static_cast<uint64_t>(rows), n = static_cast<uint64_t>(cols);
  if (m * n < options_.min_elements) return nullptr;
  FactorOptions factor = options_.factor;
  const double pay_rank =
      options_.max_cost_ratio * static_cast<double>(m * n) / static_cast<double>(m + n);
  if (pay_rank < 1.0) return nullptr;
  factor.max_rank = factor.max_rank
                        ? std::min<uint64_t>(factor.max_rank, static_cast<uint64_t>(pay_rank))
                        : static_cast<uint64_t>(pay_rank);
  {
    std::lock_guard lock(mu_);
    if (auto basis = held_locked(digest, tolerance)) return basis;
    if (in_progress_.count(digest)) return nullptr;
    if (auto it = refused_.find(digest); it != refused_.end() && tolerance <= it->second)
      return nullptr;
    auto [it, inserted] = sightings_.try_emplace(digest, 0.0);
    if (inserted) {
      sighting_order_.push_back(digest);
      while (sighting_order_.size() > options_.max_tracked) {
        if (sighting_order_.front() != digest) sightings_.erase(sighting_order_.front());
        sighting_order_.pop_front();
      }
    }
    it->second += 1.0;
    if (it->second < options_.min_sightings) return nullptr;
    in_progress_.insert(digest);
  }
  uint64_t seed;
  std::memcpy(&seed, digest.data() + 8, sizeof seed);
  const auto start = std::chrono::steady_clock::now();
  std::optional<LowRankBasis> basis = factor_low_rank(materialize(), tolerance, factor, seed);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::lock_guard lock(mu_);
  in_progress_.erase(digest);
  stats_.factor_seconds += seconds;
  if (!basis) {
    ++stats_.refusals;
    remember_locked(refused_, refused_order_, digest, tolerance);
    return nullptr;
  }
  ++stats_.factorizations;
  auto shared = std::make_shared<const LowRankBasis>(std::move(*basis));
  store_locked(digest, shared);
  return shared;
}

std::shared_ptr<const LowRankBasis> FlopCompressionLayer::find(const MatrixDigest& digest,
                                                               double tolerance) {
  std::lock_guard lock(mu_);
  return held_locked(digest, tolerance);
}

MatrixXd FlopCompressionLayer::apply(const LowRankBasis& basis, const MatrixXd& x) {
  MatrixXd inner = basis.right.transpose() * x;
  return basis.left * inner;
}

uint64_t FlopCompressionLayer::apply_flops(const LowRankBasis& basis, Eigen::Index columns) {
  return 2ull * static_cast<uint64_t>(basis.rank()) *
         static_cast<uint64_t>(basis.left.rows() + basis.right.rows()) *
         static_cast<uint64_t>(columns);
}

void FlopCompressionLayer::record_product(uint64_t flops_avoided) {
  std::lock_guard lock(mu_);
  ++stats_.products;
  stats_.flops_avoided += flops_avoided;
}

CompressionStats FlopCompressionLayer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace jarvis
