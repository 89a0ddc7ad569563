// linalg workload: results against naive loops, the seed's example, and
// every kind of bad payload refused with a reason.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "vgpu/linalg/linalg_ops.h"

namespace jarvis {
namespace {

using nlohmann::json;
using Rows = std::vector<std::vector<double>>;

Rows random_rows(size_t m, size_t n, std::mt19937_64& rng) {
  std::normal_distribution<double> dist;
  Rows a(m, std::vector<double>(n));
  for (auto& row : a)
    for (double& x : row) x = dist(rng);
  return a;
}

Rows naive_product(const Rows& a, const Rows& b) {
  Rows c(a.size(), std::vector<double>(b[0].size(), 0.0));
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = 0; j < b[0].size(); ++j)
      for (size_t k = 0; k < b.size(); ++k) c[i][j] += a[i][k] * b[k][j];
  return c;
}

OpResult run(const json& payload) {
  return run_linalg(payload, PayloadLimits{}, nullptr);
}

TEST(Linalg, SeedExampleGivesEleven) {
  OpResult r = run(json::parse(R"({"matrix":[1.0,2.0],"vector":[3.0,4.0],"operation":"matmul"})"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], json::array({11.0}));
  EXPECT_EQ(r.result["exact"], true);
  EXPECT_EQ(r.flops, 4u);
}

TEST(Linalg, MatmulMatchesNaiveLoops) {
  std::mt19937_64 rng(1);
  for (auto [m, k, n] : {std::tuple{3, 5, 4}, {17, 9, 1}, {32, 33, 31}}) {
    Rows a = random_rows(m, k, rng), b = random_rows(k, n, rng);
    OpResult r = run(json{{"operation", "matmul"}, {"matrix", a}, {"other", b}});
    ASSERT_TRUE(r.ok) << r.error;
    Rows expect = naive_product(a, b);
    Rows got = r.result["value"].get<Rows>();
    ASSERT_EQ(got.size(), expect.size());
    for (size_t i = 0; i < got.size(); ++i)
      for (size_t j = 0; j < got[i].size(); ++j) EXPECT_NEAR(got[i][j], expect[i][j], 1e-12);
    EXPECT_EQ(r.flops, static_cast<uint64_t>(2 * m * k * n));
  }
}

TEST(Linalg, MatvecMatchesNaiveLoops) {
  std::mt19937_64 rng(2);
  Rows a = random_rows(20, 13, rng);
  Rows x = random_rows(13, 1, rng);
  std::vector<double> v;
  for (auto& row : x) v.push_back(row[0]);
  OpResult r = run(json{{"operation", "matvec"}, {"matrix", a}, {"vector", v}});
  ASSERT_TRUE(r.ok) << r.error;
  Rows expect = naive_product(a, x);
  auto got = r.result["value"].get<std::vector<double>>();
  ASSERT_EQ(got.size(), 20u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expect[i][0], 1e-12);
  EXPECT_EQ(r.result["shape"], json::array({20}));
}

TEST(Linalg, TransposeSwapsIndices) {
  std::mt19937_64 rng(3);
  Rows a = random_rows(4, 7, rng);
  OpResult r = run(json{{"operation", "transpose"}, {"matrix", a}});
  ASSERT_TRUE(r.ok) << r.error;
  Rows t = r.result["value"].get<Rows>();
  ASSERT_EQ(t.size(), 7u);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < 7; ++j) EXPECT_EQ(t[j][i], a[i][j]);
}

TEST(Linalg, SolveSatisfiesTheSystem) {
  std::mt19937_64 rng(4);
  Rows a = random_rows(30, 30, rng);
  for (size_t i = 0; i < 30; ++i) a[i][i] += 10.0;  // well conditioned
  Rows b = random_rows(30, 1, rng);
  std::vector<double> v;
  for (auto& row : b) v.push_back(row[0]);
  OpResult r = run(json{{"operation", "solve"}, {"matrix", a}, {"vector", v}});
  ASSERT_TRUE(r.ok) << r.error;
  auto x = r.result["value"].get<std::vector<double>>();
  for (size_t i = 0; i < 30; ++i) {
    double s = 0;
    for (size_t j = 0; j < 30; ++j) s += a[i][j] * x[j];
    EXPECT_NEAR(s, v[i], 1e-10);
  }
  EXPECT_LT(r.result["residual_norm"].get<double>(), 1e-10);
}

TEST(Linalg, SvdReconstructsTheMatrix) {
  std::mt19937_64 rng(5);
  Rows a = random_rows(12, 8, rng);
  OpResult r = run(json{{"operation", "svd"}, {"matrix", a}, {"vectors", true}});
  ASSERT_TRUE(r.ok) << r.error;
  auto s = r.result["value"].get<std::vector<double>>();
  Rows u = r.result["u"].get<Rows>(), v = r.result["v"].get<Rows>();
  ASSERT_EQ(s.size(), 8u);
  for (size_t i = 1; i < s.size(); ++i) EXPECT_GE(s[i - 1], s[i]);
  for (size_t i = 0; i < 12; ++i)
    for (size_t j = 0; j < 8; ++j) {
      double x = 0;
      for (size_t k = 0; k < 8; ++k) x += u[i][k] * s[k] * v[j][k];
      EXPECT_NEAR(x, a[i][j], 1e-10);
    }
}

void expect_refused(const json& payload, const std::string& fragment, PayloadLimits limits = {}) {
  OpResult r = run_linalg(payload, limits, nullptr);
  EXPECT_FALSE(r.ok) << payload.dump();
  EXPECT_NE(r.error.find(fragment), std::string::npos) << "error was: " << r.error;
}

TEST(Linalg, BadPayloadsAreRefusedWithAReason) {
  expect_refused(
      json::parse(
          R"({"operation":"matmul","matrix":[[1,2,3,4],[1,2,3,4],[1,2,3]],"vector":[1,2,3,4]})"),
      "matrix[2]: row has 3 entries, expected 4");
  expect_refused(json::parse(R"({"operation":"matmul","matrix":[[1,2],[3,4]],"vector":[1,2,3]})"),
                 "vector: has 3 entries, expected 2");
  expect_refused(json::parse(R"({"operation":"matmul","matrix":[[1,2],[3,4]],"other":[[1,2]]})"),
                 "other: has 1 rows, expected 2");
  expect_refused(json{{"operation", "matmul"},
                      {"matrix", {{1.0, std::numeric_limits<double>::quiet_NaN()}}},
                      {"vector", {1.0, 2.0}}},
                 "matrix[0][1]: not a finite number");
  expect_refused(json{{"operation", "matvec"},
                      {"matrix", {{1.0, 2.0}}},
                      {"vector", {1.0, std::numeric_limits<double>::infinity()}}},
                 "vector[1]: not a finite number");
  expect_refused(json::parse(R"({"operation":"matmul","matrix":[[1,"x"]],"vector":[1,2]})"),
                 "matrix[0][1]: expected a number");
  PayloadLimits small;
  small.max_matrix_elements = 8;
  expect_refused(json::parse(R"({"operation":"transpose","matrix":[[1,2,3],[4,5,6],[7,8,9]]})"),
                 "exceeds the limit of 8 elements", small);
  expect_refused(json::parse(R"({"operation":"fft","matrix":[1]})"), "operation: unknown");
  expect_refused(json::parse(R"({"matrix":[1]})"), "operation: missing");
  expect_refused(json::parse(R"({"operation":"matmul"})"), "matrix: missing");
  expect_refused(json::parse(R"({"operation":"matmul","matrix":[]})"), "matrix: empty");
  expect_refused(json::parse(R"({"operation":"matmul","matrix":[1,2]})"), "vector");
  expect_refused(json::parse(R"({"operation":"solve","matrix":[[1,2],[2,4]],"vector":[1,2]})"),
                 "singular");
  expect_refused(json::parse(R"({"operation":"solve","matrix":[[1,2,3]],"vector":[1]})"), "square");
  expect_refused(json::parse(R"([1,2])"), "payload: expected a JSON object");
}

}  // namespace
}  // namespace jarvis
