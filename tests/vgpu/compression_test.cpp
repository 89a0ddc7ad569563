// FlopCompressionLayer: a recurring low-rank matrix is factored and served
// from its basis within the stated bound; a full-rank one never is.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "vgpu/linalg/flop_compression.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/payload/payload_parse.h"

namespace jarvis {
namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using nlohmann::json;

MatrixXd gaussian(Eigen::Index m, Eigen::Index n, std::mt19937_64& rng) {
  std::normal_distribution<double> dist;
  MatrixXd g(m, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) g(i, j) = dist(rng);
  return g;
}

MatrixXd low_rank(Eigen::Index m, Eigen::Index n, Eigen::Index r, std::mt19937_64& rng) {
  return gaussian(m, r, rng) * gaussian(r, n, rng);
}

json product_payload(const MatrixXd& a, const VectorXd& x) {
  return {{"operation", "matvec"}, {"matrix", matrix_to_json(a)}, {"vector", vector_to_json(x)}};
}

TEST(Compression, RepeatedRank8MatrixIsCompressedAndAgreesWithDense) {
  std::mt19937_64 rng(11);
  const MatrixXd a = low_rank(512, 512, 8, rng);
  FlopCompressionLayer layer;
  const PayloadLimits limits;
  const VectorXd x = gaussian(512, 1, rng).col(0);
  OpResult first = run_linalg(product_payload(a, x), limits, &layer);
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_TRUE(first.result["exact"].get<bool>());  // first sighting: dense
  for (int round = 0; round < 3; ++round) {
    const VectorXd y = gaussian(512, 1, rng).col(0);
    OpResult r = run_linalg(product_payload(a, y), limits, &layer);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_FALSE(r.result["exact"].get<bool>());
    EXPECT_EQ(r.result["method"], "low-rank r=8");
    EXPECT_EQ(r.flops, 2u * 8 * (512 + 512));
    EXPECT_EQ(r.flops_avoided, 2u * 512 * 512 - r.flops);
    const VectorXd dense = a * y;
    VectorXd got(512);
    for (int i = 0; i < 512; ++i) got(i) = r.result["value"][static_cast<size_t>(i)].get<double>();
    EXPECT_LE((got - dense).norm(), 1e-10 * dense.norm());
    EXPECT_LE(r.result["relative_error_bound"].get<double>(), 1e-12);
  }
  CompressionStats s = layer.stats();
  EXPECT_EQ(s.factorizations, 1u);
  EXPECT_EQ(s.bases, 1u);
  EXPECT_EQ(s.products, 3u);
}

TEST(Compression, ReportedErrorBoundHoldsForANoisyLowRankMatrix) {
  std::mt19937_64 rng(12);
  const MatrixXd a = low_rank(300, 200, 10, rng) + 1e-7 * gaussian(300, 200, rng);
  FlopCompressionLayer layer;
  const MatrixDigest d = FlopCompressionLayer::matrix_digest(a);
  EXPECT_EQ(layer.observe(d, a, 1e-4), nullptr);  // first sighting
  auto basis = layer.observe(d, a, 1e-4);
  ASSERT_NE(basis, nullptr);
  EXPECT_EQ(basis->rank(), 10);
  EXPECT_LE(basis->relative_error_bound(), 1e-4);
  // The true spectral error is the 11th singular value; the bound must cover it.
  Eigen::JacobiSVD<MatrixXd> svd(a - basis->left * basis->right.transpose());
  const double true_error = svd.singularValues()(0);
  EXPECT_LE(true_error, basis->error_bound);
  EXPECT_GT(basis->error_bound, 0.0);
  for (int trial = 0; trial < 20; ++trial) {
    const MatrixXd x = gaussian(200, 3, rng);
    const MatrixXd diff = FlopCompressionLayer::apply(*basis, x) - a * x;
    EXPECT_LE(diff.norm(), basis->error_bound * x.norm());
  }
  // A stricter tolerance than the noise allows is refused, not approximated.
  FlopCompressionLayer strict;
  strict.observe(d, a, 1e-12);
  EXPECT_EQ(strict.observe(d, a, 1e-12), nullptr);
  EXPECT_EQ(strict.stats().refusals, 1u);
}

TEST(Compression, RandomFullRankMatrixIsNeverCompressed) {
  std::mt19937_64 rng(13);
  const MatrixXd a = gaussian(256, 256, rng);
  FlopCompressionLayer layer;
  for (int round = 0; round < 4; ++round) {
    OpResult r =
        run_linalg(product_payload(a, gaussian(256, 1, rng).col(0)), PayloadLimits{}, &layer);
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.result["exact"].get<bool>());
    EXPECT_EQ(r.result["method"], "dense");
    EXPECT_EQ(r.flops_avoided, 0u);
  }
  CompressionStats s = layer.stats();
  EXPECT_EQ(s.factorizations, 0u);
  EXPECT_EQ(s.refusals, 1u);  // factored once, remembered as refused
  EXPECT_EQ(s.bases, 0u);
}

TEST(Compression, BasesAreBoundedAndEvicted) {
  std::mt19937_64 rng(14);
  CompressionOptions options;
  options.max_bases = 2;
  options.min_sightings = 1;
  FlopCompressionLayer layer(options);
  for (int i = 0; i < 5; ++i) {
    const MatrixXd a = low_rank(128, 128, 4, rng);
    ASSERT_NE(layer.observe(FlopCompressionLayer::matrix_digest(a), a, 1e-12), nullptr);
  }
  CompressionStats s = layer.stats();
  EXPECT_EQ(s.bases, 2u);
  EXPECT_EQ(s.evictions, 3u);
  EXPECT_EQ(s.factorizations, 5u);
}

TEST(Compression, MatrixRefUsesAHeldBasis) {
  std::mt19937_64 rng(15);
  const MatrixXd a = low_rank(128, 96, 3, rng);
  FlopCompressionLayer layer;
  const VectorXd x = gaussian(96, 1, rng).col(0);
  run_linalg(product_payload(a, x), PayloadLimits{}, &layer);
  OpResult second = run_linalg(product_payload(a, x), PayloadLimits{}, &layer);
  ASSERT_TRUE(second.ok) << second.error;
  const std::string digest = second.result["matrix_digest"];
  OpResult by_ref =
      run_linalg({{"operation", "matvec"}, {"matrix_ref", digest}, {"vector", vector_to_json(x)}},
                 PayloadLimits{}, &layer);
  ASSERT_TRUE(by_ref.ok) << by_ref.error;
  EXPECT_EQ(by_ref.result["value"], second.result["value"]);
  OpResult unknown =
      run_linalg({{"operation", "matvec"}, {"matrix_ref", std::string(64, '0')}, {"vector", {1.0}}},
                 PayloadLimits{}, &layer);
  EXPECT_FALSE(unknown.ok);
  EXPECT_NE(unknown.error.find("matrix_ref: no low-rank basis"), std::string::npos);
}

// The time the cluster learns from is the numeric work alone: measured for
// every linalg operation, part of the whole call, never negative.
TEST(Compression, LinalgOpsReportTheirComputeTimeApartFromParsing) {
  std::mt19937_64 rng(5);
  const MatrixXd a = gaussian(300, 300, rng);
  const VectorXd x = gaussian(300, 1, rng).col(0);
  const json square = matrix_to_json(a);
  const std::vector<json> payloads = {
      product_payload(a, x),
      {{"operation", "matmul"}, {"matrix", square}, {"other", square}},
      {{"operation", "solve"}, {"matrix", square}, {"vector", vector_to_json(x)}},
      {{"operation", "svd"}, {"matrix", square}},
      {{"operation", "transpose"}, {"matrix", square}}};
  for (const json& payload : payloads) {
    const auto start = std::chrono::steady_clock::now();
    const OpResult r = run_linalg(payload, PayloadLimits{}, nullptr);
    const double whole =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(r.ok) << r.error;
    const std::string op = payload["operation"];
    if (op == "transpose") {
      EXPECT_LT(r.compute_seconds, 0.0) << "a copy is not compute";
      continue;
    }
    EXPECT_GE(r.compute_seconds, 0.0) << op;
    EXPECT_LE(r.compute_seconds, whole) << op;
  }
}

}  // namespace
}  // namespace jarvis
