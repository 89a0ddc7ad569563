// Jarvis5090X: the seed's example end to end, caching, statistics, error
// propagation (including from the quantum layer), executors and threads.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "vgpu/jarvis.h"
#include "vgpu/payload/payload_parse.h"

namespace jarvis {
namespace {

using nlohmann::json;

std::vector<AdapterDevice> seed_devices() {
  AdapterDevice cpu;
  cpu.id = "cpu_main";
  cpu.label = "CPU Device";
  cpu.kind = DeviceKind::Cpu;
  cpu.perf_score = 10.0;
  cpu.capabilities = {OperationKind::Hashing, OperationKind::Linalg, OperationKind::Generic};
  AdapterDevice q;
  q.id = "quantum_adapter";
  q.label = "Quantum Adapter";
  q.kind = DeviceKind::Virtual;
  q.perf_score = 5.0;
  q.capabilities = {OperationKind::Quantum};
  return {cpu, q};
}

const json kSeedPayload =
    json::parse(R"({"matrix":[1.0,2.0],"vector":[3.0,4.0],"operation":"matmul"})");

TEST(Jarvis, SeedExampleThroughTheFacade) {
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  VirtualGPU vgpu(jarvis);
  json r = vgpu.submit("linalg", "matmul_demo", kSeedPayload);
  ASSERT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_EQ(r["result"]["value"], json::array({11.0}));
  EXPECT_EQ(r["device"], "cpu_main");
}

TEST(Jarvis, TheSameRequestWrittenDifferentlyIsACacheHit) {
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  const json as_floats = json::parse(
      R"({"operation": "matvec", "matrix": [[1.0, 2.0], [3.0, 4.0]], "vector": [5.0, 6.0]})");
  const json as_integers =
      json::parse(R"({"vector": [5, 6], "matrix": [[1, 2], [3, 4]], "operation": "matvec"})");
  const SubmitResult first = jarvis.submit("linalg", "mv", as_floats);
  const SubmitResult second = jarvis.submit("linalg", "mv", as_integers);
  ASSERT_TRUE(first.ok && second.ok) << first.error << second.error;
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(second.result, first.result);
  EXPECT_EQ(first.result["value"], json::array({17.0, 39.0}));
}

TEST(Jarvis, CachedAndUncachedAnswersAreEqual) {
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  json payload = {{"operation", "matmul"},
                  {"matrix", {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}},
                  {"other", {{1.0, 0.5, 2.0, 1.0}, {0.0, 1.0, 3.0, 1.0}, {2.0, 2.0, 1.0, 1.0}}}};
  SubmitResult first = jarvis.submit("linalg", "mm", payload);
  SubmitResult second = jarvis.submit("linalg", "mm", payload);
  ASSERT_TRUE(first.ok && second.ok);
  EXPECT_FALSE(first.cached);
  EXPECT_TRUE(second.cached);
  EXPECT_EQ(first.result, second.result);
  EXPECT_EQ(first.flops, 2u * 2 * 3 * 4);
  EXPECT_EQ(second.flops, 0u);
  SubmitResult other_signature = jarvis.submit("linalg", "mm2", payload);
  EXPECT_FALSE(other_signature.cached);
  BenchmarkStats s = jarvis.benchmark_stats();
  EXPECT_EQ(s.operations, 3u);
  EXPECT_EQ(s.operations_by_kind[kind_index(OperationKind::Linalg)], 3u);
  EXPECT_EQ(s.cache_hits, 1u);
  EXPECT_EQ(s.cache_misses, 2u);
  EXPECT_EQ(s.flops_executed, 96u);
  EXPECT_EQ(s.flops_avoided_by_cache, 48u);
  EXPECT_EQ(s.flops_avoided_by_compression, 0u);
  EXPECT_GT(s.wall_seconds, 0.0);
  json j = s.to_json();
  EXPECT_EQ(j["cache"]["hits"], 1);
  EXPECT_NE(
      j["achieved_ratio_to_rtx5090_peak"]["label"].get<std::string>().find("not a measurement"),
      std::string::npos);
}

TEST(Jarvis, AHitIsTheStoredTextAndToTextMatchesToJson) {
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  const json payload = {{"operation", "matvec"},
                        {"matrix", {{0.1, 2.5e-300}, {-3.0, 1e300}}},
                        {"vector", {1.0 / 3.0, 7.0}}};
  const SubmitResult miss = jarvis.submit("linalg", "mv", payload, ResultForm::kText);
  ASSERT_TRUE(miss.ok) << miss.error;
  EXPECT_FALSE(miss.result.is_null());  // a miss has its tree anyway
  EXPECT_EQ(json::parse(miss.result_text), miss.result);
  const SubmitResult text_hit = jarvis.submit("linalg", "mv", payload, ResultForm::kText);
  ASSERT_TRUE(text_hit.cached);
  EXPECT_TRUE(text_hit.result.is_null());
  EXPECT_EQ(text_hit.result_text, miss.result_text);
  const SubmitResult json_hit = jarvis.submit("linalg", "mv", payload);
  ASSERT_TRUE(json_hit.cached);
  EXPECT_EQ(json_hit.result, miss.result);  // doubles survive the text exactly
  for (const SubmitResult* r : {&miss, &text_hit, &json_hit}) {
    const json spliced = json::parse(r->to_text());
    EXPECT_EQ(spliced, r->to_json()) << r->to_text();
    EXPECT_EQ(spliced["result"], miss.result);
  }
  // A result too large to keep as a tree too: the hit parses its text.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  json big_matrix = json::array();
  for (int i = 0; i < 200; ++i) big_matrix.push_back({u(rng), u(rng)});
  const json big = {{"operation", "matvec"}, {"matrix", big_matrix}, {"vector", {0.3, -1.7}}};
  const SubmitResult big_miss = jarvis.submit("linalg", "mv", big);
  ASSERT_GT(big_miss.result_text.size(), CachedValue::kMaxTreeTextBytes);
  const SubmitResult big_hit = jarvis.submit("linalg", "mv", big);
  ASSERT_TRUE(big_hit.cached);
  EXPECT_EQ(big_hit.result, big_miss.result);
  SubmitResult failed;
  failed.error = "matrix: bad";
  EXPECT_EQ(json::parse(failed.to_text()), failed.to_json());
}

TEST(Jarvis, CompressionSavingsAreCountedSeparately) {
  std::mt19937_64 rng(21);
  std::normal_distribution<double> dist;
  Eigen::MatrixXd u(128, 4), v(4, 128);
  for (Eigen::Index i = 0; i < u.size(); ++i) u.data()[i] = dist(rng);
  for (Eigen::Index i = 0; i < v.size(); ++i) v.data()[i] = dist(rng);
  const json matrix = matrix_to_json(u * v);
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  for (int i = 0; i < 3; ++i) {
    std::vector<double> x(128, static_cast<double>(i + 1));
    SubmitResult r =
        jarvis.submit("linalg", "lr", {{"operation", "matvec"}, {"matrix", matrix}, {"vector", x}});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.result["exact"].get<bool>(), i == 0);
  }
  BenchmarkStats s = jarvis.benchmark_stats();
  EXPECT_EQ(s.compression_operations, 2u);
  EXPECT_EQ(s.compression_bases_held, 1u);
  EXPECT_EQ(s.flops_executed, 2u * 128 * 128 + 2 * (2u * 4 * 256));
  EXPECT_EQ(s.flops_avoided_by_compression, 2 * (2u * 128 * 128 - 2u * 4 * 256));
}

TEST(Jarvis, ErrorsAreValuesAndAreNotCached) {
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  SubmitResult unknown = jarvis.submit("fft", "x", kSeedPayload);
  EXPECT_FALSE(unknown.ok);
  EXPECT_NE(unknown.error.find("kind: unknown workload kind"), std::string::npos);
  json ragged = json::parse(R"({"operation":"matmul","matrix":[[1,2],[3]],"vector":[1,2]})");
  for (int i = 0; i < 2; ++i) {
    SubmitResult r = jarvis.submit("linalg", "bad", ragged);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "matrix[1]: row has 1 entries, expected 2");
    EXPECT_FALSE(r.cached);
  }
  EXPECT_FALSE(jarvis.submit("linalg", "x", json::array({1, 2})).ok);
  // The quantum layer's error reaches the caller unchanged.
  json circuit = {{"qubits", 2}, {"gates", {{{"op", "h"}, {"q", 7}}}}};
  SubmitResult q = jarvis.submit("quantum", "bad_circuit", circuit);
  EXPECT_FALSE(q.ok);
  EXPECT_EQ(q.error, jarvis.quantum().run(circuit).error);
  EXPECT_FALSE(q.error.empty());
  EXPECT_EQ(jarvis.benchmark_stats().errors, 5u);
}

TEST(Jarvis, GpuExecutorRunsTheTasksRoutedToIt) {
  Jarvis5090X jarvis(seed_devices(), nullptr, nullptr, nullptr, nullptr);
  AdapterDevice gpu;
  gpu.id = "gpu0";
  gpu.kind = DeviceKind::Gpu;
  gpu.capabilities = {OperationKind::Generic};
  gpu.throughput[kind_index(OperationKind::Generic)] = 1e15;
  jarvis.cluster().add_device(gpu);
  int calls = 0;
  jarvis.set_executor("gpu0", [&](OperationKind, const json&, TensorStore*, const StopToken&) {
    ++calls;
    return OpResult::success(json{{"value", 42}}, 7);
  });
  std::vector<double> big(200000, 1.0);
  SubmitResult r = jarvis.submit("generic", "sum", {{"operation", "sum"}, {"values", big}});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.device, "gpu0");
  EXPECT_EQ(calls, 1);
  SubmitResult tiny = jarvis.submit("generic", "sum", {{"operation", "sum"}, {"values", {1, 2}}});
  EXPECT_EQ(tiny.device, "cpu_main");
  EXPECT_EQ(tiny.result["value"], 3.0);
}

TEST(Jarvis, ConcurrentSubmitsAreSafe) {
  auto jarvis = Jarvis5090X::build_extreme(seed_devices());
  EXPECT_EQ(jarvis->compression().options().max_bases, 20'000u);
  EXPECT_EQ(jarvis->cache().options().max_items, 1'000'000u);
  EXPECT_EQ(jarvis->quantum().options().branches, 128u);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const int n = (i * 7 + t) % 50;
        SubmitResult r =
            jarvis->submit("generic", "sum", {{"operation", "sum"}, {"values", {n, n, 1}}});
        if (!r.ok || r.result["value"].get<double>() != 2.0 * n + 1) ++wrong;
        SubmitResult h = jarvis->submit("hashing", "h", {{"operation", "sha256"}, {"data", "x"}});
        if (!h.ok) ++wrong;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  BenchmarkStats s = jarvis->benchmark_stats();
  EXPECT_EQ(s.operations, 2400u);
  EXPECT_EQ(s.cache_hits + s.cache_misses, 2400u);
  EXPECT_GE(s.cache_hits, 2400u - 51u * 4);
}

}  // namespace
}  // namespace jarvis
