// The host's dense product in blocks of rows (vgpu/linalg/blocked_product.h):
// the same product as Eigen's whole one on random shapes and block sizes; a
// stop between blocks leaves the rows before it done and the rest untouched;
// run_linalg checks its token before any work, and a product submitted to
// the layers stops part-way.
#include "vgpu/linalg/blocked_product.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <random>

#include "tests/vgpu/stop_reason_of.h"
#include "vgpu/jarvis.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/tensor/tensor_refs.h"

namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using jarvis::StopReason;
using jarvis::StopToken;
using jarvis::test::stop_reason_of;
using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

TEST(BlockedProduct, MatchesTheWholeProductOnRandomShapesAndBlocks) {
  std::mt19937_64 rng(18);
  std::uniform_int_distribution<Index> dim(1, 90);
  for (int round = 0; round < 60; ++round) {
    const Index rows = dim(rng), inner = dim(rng), columns = dim(rng);
    const Index block = std::uniform_int_distribution<Index>(1, rows + 3)(rng);
    const MatrixXd a = MatrixXd::Random(rows, inner);
    const MatrixXd b = MatrixXd::Random(inner, columns);
    const MatrixXd want = a * b;
    MatrixXd got(rows, columns);
    jarvis::product_in_blocks(a, b, got, block, StopToken());
    EXPECT_LE((got - want).cwiseAbs().maxCoeff(), 1e-12) << rows << "x" << inner << "x" << columns;
    // A row-major map, as a float64 tensor is read in place.
    const RowMajor row_major = a;
    const Eigen::Map<const RowMajor> view(row_major.data(), rows, inner);
    MatrixXd from_view(rows, columns);
    jarvis::product_in_blocks(view, b, from_view, block, StopToken());
    EXPECT_LE((from_view - want).cwiseAbs().maxCoeff(), 1e-12);
  }
}

TEST(BlockedProduct, BlocksHoldAboutTheirFlopsAndNeverFewerThanTheMinimumRows) {
  EXPECT_EQ(jarvis::product_block_rows(512, 512),
            static_cast<Index>(jarvis::kProductBlockFlops / (2.0 * 512 * 512)));
  EXPECT_EQ(jarvis::product_block_rows(4096, 2048), jarvis::kProductMinBlockRows);
  EXPECT_EQ(jarvis::product_block_rows(65536, 256), jarvis::kProductMinBlockRows);
  EXPECT_GE(jarvis::product_block_rows(8, 1), 1'000'000);
  EXPECT_GE(jarvis::product_block_rows(0, 0), jarvis::kProductMinBlockRows);
}

// A product of about 1.3 GFLOP in one-row blocks (a hundred ms or more on
// one core) told to stop after 20 ms: it stops part-way.
TEST(BlockedProduct, AStopBetweenBlocksLeavesTheRowsBeforeItDoneAndTheRestUntouched) {
  constexpr Index kRows = 20000, kInner = 256, kColumns = 128;
  const MatrixXd a = MatrixXd::Random(kRows, kInner);
  const MatrixXd b = MatrixXd::Random(kInner, kColumns);
  MatrixXd c = MatrixXd::Constant(kRows, kColumns, std::numeric_limits<double>::quiet_NaN());
  const StopToken stop(nullptr, StopToken::Clock::now() + std::chrono::milliseconds(20));
  ASSERT_EQ(stop_reason_of([&] { jarvis::product_in_blocks(a, b, c, 1, stop); }),
            StopReason::kDeadlinePassed)
      << "the product ran to its end";
  Index done = 0;
  while (done < kRows && !std::isnan(c(done, 0))) ++done;
  ASSERT_LT(done, kRows);
  EXPECT_LE((c.topRows(done) - a.topRows(done) * b).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_TRUE(c.bottomRows(kRows - done).array().isNaN().all());
}

TEST(BlockedProduct, RunLinalgChecksItsTokenBeforeAnyWork) {
  auto cancelled = std::make_shared<std::atomic<bool>>(true);
  const nlohmann::json payload = {
      {"operation", "matmul"}, {"matrix", {{1.0, 2.0}}}, {"vector", {3.0, 4.0}}};
  EXPECT_EQ(stop_reason_of([&] {
              jarvis::run_linalg(payload, jarvis::PayloadLimits{}, nullptr, {}, {}, nullptr, {},
                                 StopToken(cancelled, std::nullopt));
            }),
            StopReason::kCancelled);
  // Not cancelled: the same payload answers.
  cancelled->store(false);
  const jarvis::OpResult r = jarvis::run_linalg(payload, jarvis::PayloadLimits{}, nullptr, {}, {},
                                                nullptr, {}, StopToken(cancelled, std::nullopt));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"][0], 11.0);
}

std::string upload(jarvis::TensorStore& store, const MatrixXd& m) {
  const RowMajor row_major = m;
  auto put = store.put(jarvis::encode_npy(
      jarvis::Dtype::kFloat64, {static_cast<uint64_t>(m.rows()), static_cast<uint64_t>(m.cols())},
      row_major.data(), static_cast<size_t>(m.size()) * sizeof(double)));
  EXPECT_TRUE(put.tensor) << put.error;
  return put.tensor ? put.tensor->id : "";
}

// 384 x 2048 times 2048 x 2048 by tensor id: two blocks of rows (256 and
// 128, 2.1 GFLOP and more than 0.1 s for the first), with a deadline 30 ms away.
TEST(BlockedProduct, ALargeProductSubmittedToTheLayersStopsPartWay) {
  jarvis::Jarvis5090X layers({jarvis::AdapterCluster::host_cpu()}, nullptr, nullptr, nullptr,
                             nullptr);
  auto store = std::make_shared<jarvis::TensorStore>();
  layers.use_tensor_store(store);
  const MatrixXd a = MatrixXd::Random(384, 2048);
  const MatrixXd b = MatrixXd::Random(2048, 2048);
  ASSERT_EQ(jarvis::product_block_rows(2048, 2048), 256);
  const nlohmann::json payload = {{"operation", "matmul"},
                                  {"matrix", {{"tensor", upload(*store, a)}}},
                                  {"other", {{"tensor", upload(*store, b)}}},
                                  {"compress", false},
                                  {"output", "tensor"}};
  const jarvis::SubmitResult stopped =
      layers.submit("linalg", "blocked", payload, jarvis::ResultForm::kJson,
                    StopToken(nullptr, StopToken::Clock::now() + std::chrono::milliseconds(30)));
  EXPECT_FALSE(stopped.ok);
  EXPECT_EQ(stopped.error_kind, jarvis::OpError::kDeadlinePassed) << stopped.error;
}

}  // namespace
