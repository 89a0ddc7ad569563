// The bound on every result (issue 13, item 1): a small request that asks for
// a huge answer is refused as too large, naming the limit, before the work
// is done or its memory allocated; a result within the limit still runs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hashcore/selftest.h"
#include "vgpu/generic_ops.h"
#include "vgpu/hashing_ops.h"
#include "vgpu/jarvis.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/quantum/quantum_run.h"

namespace jarvis {
namespace {

using nlohmann::json;

void expect_too_large(const OpResult& r, const std::string& fragment) {
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_kind, OpError::kResultTooLarge) << r.error;
  EXPECT_NE(r.error.find(fragment), std::string::npos) << r.error;
}

PayloadLimits with_result_limit(uint64_t elements) {
  PayloadLimits limits;
  limits.max_result_elements = elements;
  return limits;
}

TEST(ResultLimit, AnOuterProductOfTwentyThousandIsRefusedBeforeItIsComputed) {
  // ~120 KB of request, 400 M numbers (3.2 GB) of answer: within every
  // operand and FLOP bound, so only the result bound stops it.
  json column = json::array();
  for (int i = 0; i < 20000; ++i) column.push_back(json::array({1.0}));
  json row = json::array({json(std::vector<double>(20000, 1.0))});
  bool multiplied = false;
  const DenseProduct product = [&](const Eigen::MatrixXd&, const Eigen::MatrixXd&, Eigen::MatrixXd&,
                                   std::string&) {
    multiplied = true;
    return std::string("the product hook must not be reached");
  };
  const OpResult r = run_linalg(json{{"operation", "matmul"}, {"matrix", column}, {"other", row}},
                                PayloadLimits{}, nullptr, product);
  expect_too_large(r, "result: 20000 x 20000 = 400000000 elements exceeds the limit of " +
                          std::to_string(kMaxResultElements) + " elements");
  EXPECT_FALSE(multiplied);
  EXPECT_EQ(r.flops, 0u);
}

TEST(ResultLimit, EveryLinalgResultIsChecked) {
  const PayloadLimits limits = with_result_limit(8);
  const json square = {{1.0, 2.0, 0.0}, {0.0, 1.0, 3.0}, {4.0, 0.0, 1.0}};
  expect_too_large(run_linalg({{"operation", "transpose"}, {"matrix", square}}, limits, nullptr),
                   "3 x 3 = 9 elements exceeds the limit of 8");
  expect_too_large(
      run_linalg({{"operation", "solve"}, {"matrix", square}, {"other", square}}, limits, nullptr),
      "3 x 3 = 9 elements");
  // svd: 3 singular values fit; with u and v (3 + 9 + 9) they do not.
  EXPECT_TRUE(run_linalg({{"operation", "svd"}, {"matrix", square}}, limits, nullptr).ok);
  expect_too_large(
      run_linalg({{"operation", "svd"}, {"matrix", square}, {"vectors", true}}, limits, nullptr),
      "svd with vectors of 3 x 3 = 21 elements");
  // A product is bounded by its result, not its operands: 1x8 by 8x1 fits.
  const json row = json::array({json(std::vector<double>(8, 1.0))});
  const json column = json(std::vector<std::vector<double>>(8, std::vector<double>{1.0}));
  EXPECT_TRUE(
      run_linalg({{"operation", "matmul"}, {"matrix", row}, {"other", column}}, limits, nullptr)
          .ok);
  expect_too_large(
      run_linalg({{"operation", "matmul"}, {"matrix", column}, {"other", row}}, limits, nullptr),
      "8 x 8 = 64 elements");
}

TEST(ResultLimit, ASortLongerThanTheLimitIsRefused) {
  const json payload = {{"operation", "sort"}, {"values", {3.0, 1.0, 2.0}}};
  expect_too_large(run_generic(payload, with_result_limit(2)), "3 sorted values");
  EXPECT_TRUE(run_generic(payload, with_result_limit(3)).ok);
}

TEST(ResultLimit, AnEasyScanTargetStopsSoonAfterItPassesTheLimit) {
  std::string error;
  const auto dispatch = synthminer::hashcore::Dispatch::create(std::nullopt, error);
  ASSERT_TRUE(dispatch) << error;
  PayloadLimits limits;
  limits.max_scan_results = 4;
  // Every nonce meets this target: the scan must stop well before the end of
  // the range instead of collecting 262,144 nonces to refuse them afterwards.
  const uint64_t count = 1u << 18;
  const OpResult r = run_hashing({{"operation", "scan"},
                                  {"header_hex", std::string(160, '0')},
                                  {"target_hex", std::string(64, 'f')},
                                  {"nonce_count", count}},
                                 limits, dispatch->chosen());
  expect_too_large(r, "over the limit of 4 results");
  EXPECT_GT(r.hashes, 0u);
  EXPECT_LT(r.hashes, count);
}

TEST(ResultLimit, ACircuitWhoseAnswerCouldPassTheLimitIsRefusedBeforeSimulating) {
  QuantumOptions options;
  options.max_result_elements = 1000;
  bool simulated = false;
  const auto simulate = [&](const quantum::Circuit&) {
    simulated = true;
    return quantum::Simulation{};
  };
  // 10 qubits: 1024 probabilities alone pass 1000.
  const json payload = {{"qubits", 10}, {"gates", json::array()}, {"shots", 1}};
  const QuantumOutcome out = quantum::run_payload(payload, options, simulate);
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error_kind, OpError::kResultTooLarge);
  EXPECT_EQ(out.error,
            "result: 1 shots on 10 qubits = 1025 elements exceeds the limit of 1000 elements");
  EXPECT_FALSE(simulated);
  // 9 qubits and 400 shots: 400 counts at most, 512 probabilities; it runs.
  EXPECT_TRUE(quantum::run_payload({{"qubits", 9}, {"gates", json::array()}, {"shots", 400}},
                                   options, simulate)
                  .ok);
  EXPECT_TRUE(simulated);
}

TEST(ResultLimit, JarvisTellsATooLargeResultFromABadPayload) {
  JarvisConfig config;
  config.limits.max_result_elements = 4;
  AdapterDevice cpu;
  cpu.id = "cpu_main";
  cpu.kind = DeviceKind::Cpu;
  cpu.perf_score = 1.0;
  cpu.capabilities = {OperationKind::Linalg, OperationKind::Generic};
  Jarvis5090X jarvis({cpu}, config);
  const json big = {{"operation", "transpose"}, {"matrix", {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}}};
  for (int i = 0; i < 2; ++i) {  // refused each time: a refusal is never cached
    const SubmitResult r = jarvis.submit("linalg", "t", big);
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.cached);
    EXPECT_EQ(r.error_kind, OpError::kResultTooLarge) << r.error;
  }
  const SubmitResult bad = jarvis.submit("linalg", "t", {{"operation", "fft"}, {"matrix", {1.0}}});
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error_kind, OpError::kInvalid);
  EXPECT_EQ(jarvis.benchmark_stats().errors, 3u);
}

}  // namespace
}  // namespace jarvis
