// Linalg operands given by tensor id: the in-place product against a plain
// loop on random inputs, float32 and vector and other operands, results as
// new tensors, the cache keyed by content (not id), and refusals.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "tests/vgpu/random_values.h"
#include "vgpu/jarvis.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/linalg/tensor_operand.h"
#include "vgpu/tensor/tensor_refs.h"

namespace jarvis {
namespace {

using nlohmann::json;

AdapterDevice cpu_device() {
  AdapterDevice cpu;
  cpu.id = "cpu_main";
  cpu.kind = DeviceKind::Cpu;
  cpu.perf_score = 10.0;
  cpu.capabilities = {OperationKind::Linalg, OperationKind::Generic};
  return cpu;
}

struct Fixture {
  Fixture() : jarvis({cpu_device()}, nullptr, nullptr, nullptr, nullptr) {
    jarvis.use_tensor_store(store);
  }
  std::shared_ptr<TensorStore> store = std::make_shared<TensorStore>();
  Jarvis5090X jarvis;
};

using synthminer::testing::random_values;

std::string upload(TensorStore& store, const std::vector<double>& data,
                   std::vector<uint64_t> shape) {
  auto put = store.put(
      encode_npy(Dtype::kFloat64, std::move(shape), data.data(), data.size() * sizeof(double)));
  EXPECT_TRUE(put.tensor) << put.error;
  return put.tensor ? put.tensor->id : "";
}

json id_ref(const std::string& id) {
  return json{{"tensor", id}};
}

// The plain loop: row-major a (m x n) times x.
std::vector<double> reference_matvec(const std::vector<double>& a, const std::vector<double>& x,
                                     size_t m, size_t n) {
  std::vector<double> y(m, 0.0);
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < n; ++j) y[i] += a[i * n + j] * x[j];
  return y;
}

void expect_near(const json& value, const std::vector<double>& expected) {
  ASSERT_EQ(value.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(value[i].get<double>(), expected[i], 1e-12 * (1 + std::abs(expected[i]))) << i;
}

TEST(TensorLinalg, MatvecByIdMatchesTheReferenceOnRandomShapes) {
  Fixture f;
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    const size_t m = 1 + rng() % 90, n = 1 + rng() % 90;
    const auto a = random_values(m * n, rng()), x = random_values(n, rng());
    json payload = {{"operation", "matvec"},
                    {"matrix", id_ref(upload(*f.store, a, {m, n}))},
                    {"vector", x},
                    {"compress", false}};
    SubmitResult r = f.jarvis.submit("linalg", "t", payload);
    ASSERT_TRUE(r.ok) << r.error;
    expect_near(r.result["value"], reference_matvec(a, x, m, n));
    EXPECT_EQ(r.result["shape"], json::array({m}));
    // The vector by id too.
    payload["vector"] = id_ref(upload(*f.store, x, {n}));
    r = f.jarvis.submit("linalg", "t", payload);
    ASSERT_TRUE(r.ok) << r.error;
    expect_near(r.result["value"], reference_matvec(a, x, m, n));
  }
}

TEST(TensorLinalg, Float32MatmulAndSolveOperands) {
  Fixture f;
  const std::vector<float> a32 = {1, 2, 3, 4, 5, 6};  // 2 x 3
  auto put = f.store->put(encode_npy(Dtype::kFloat32, {2, 3}, a32.data(), 24));
  ASSERT_TRUE(put.tensor);
  const std::string b = upload(*f.store, {1, 0, 0, 1, 1, 1}, {3, 2});
  SubmitResult r = f.jarvis.submit(
      "linalg", "t",
      {{"operation", "matmul"}, {"matrix", id_ref(put.tensor->id)}, {"other", id_ref(b)}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], json::parse("[[4.0, 5.0], [10.0, 11.0]]"));
  const std::string square = upload(*f.store, {2, 0, 0, 4}, {2, 2});
  r = f.jarvis.submit("linalg", "t",
                      {{"operation", "solve"}, {"matrix", id_ref(square)}, {"vector", {2.0, 8.0}}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], json::parse("[1.0, 2.0]"));
}

TEST(TensorLinalg, OutputAsTensor) {
  Fixture f;
  const auto a = random_values(12, 1);
  const std::string id = upload(*f.store, a, {3, 4});
  json payload = {{"operation", "transpose"}, {"matrix", id_ref(id)}, {"output", "tensor"}};
  SubmitResult r = f.jarvis.submit("linalg", "t", payload);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_FALSE(r.result.contains("value"));
  const json& summary = r.result["tensor"];
  EXPECT_EQ(summary["shape"], json::array({4, 3}));
  EXPECT_EQ(summary["dtype"], "float64");
  auto out = f.store->find(summary["id"].get<std::string>());
  ASSERT_TRUE(out);
  const auto* t = reinterpret_cast<const double*>(out->array.data());
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = 0; j < 4; ++j) EXPECT_EQ(t[j * 3 + i], a[i * 4 + j]);
  // A cache hit names the same tensor; once it is gone, the result is made again.
  EXPECT_TRUE(f.jarvis.submit("linalg", "t", payload).cached);
  ASSERT_TRUE(f.store->erase(summary["id"].get<std::string>()));
  SubmitResult again = f.jarvis.submit("linalg", "t", payload);
  ASSERT_TRUE(again.ok);
  EXPECT_FALSE(again.cached);
  EXPECT_TRUE(f.store->find(again.result["tensor"]["id"].get<std::string>()));
}

TEST(TensorLinalg, CacheKeyIsTheContentNotTheId) {
  Fixture f;
  const auto a = random_values(16, 2);
  const json x = {1.0, 2.0, 3.0, 4.0};
  json payload = {
      {"operation", "matvec"}, {"matrix", id_ref(upload(*f.store, a, {4, 4}))}, {"vector", x}};
  EXPECT_FALSE(f.jarvis.submit("linalg", "t", payload).cached);
  payload["matrix"] = id_ref(upload(*f.store, a, {4, 4}));  // same bytes, new id
  EXPECT_TRUE(f.jarvis.submit("linalg", "t", payload).cached);
  auto changed = a;
  changed[5] += 1;
  payload["matrix"] = id_ref(upload(*f.store, changed, {4, 4}));
  EXPECT_FALSE(f.jarvis.submit("linalg", "t", payload).cached);
  payload["matrix"] = id_ref(upload(*f.store, a, {2, 8}));  // same bytes, other shape
  SubmitResult r = f.jarvis.submit("linalg", "t", payload);
  EXPECT_FALSE(r.ok);  // 2 x 8 times 4 entries
}

TEST(TensorLinalg, LowRankTensorIsServedFromABasisNamedByItsDigest) {
  Fixture f;
  const size_t m = 96, n = 80;  // rank 2
  const auto u = random_values(m * 2, 3), v = random_values(n * 2, 4);
  std::vector<double> a(m * n);
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < n; ++j) a[i * n + j] = u[i * 2] * v[j * 2] + u[i * 2 + 1] * v[j * 2 + 1];
  const std::string id = upload(*f.store, a, {m, n});
  const std::string digest = f.store->find(id)->digest_hex();
  SubmitResult r;
  for (int i = 0; i < 3; ++i) {
    const auto x = random_values(n, 10 + i);
    r = f.jarvis.submit("linalg", "t",
                        {{"operation", "matvec"}, {"matrix", id_ref(id)}, {"vector", x}});
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.result["matrix_digest"], digest);
    const auto expected = reference_matvec(a, x, m, n);
    for (size_t k = 0; k < m; ++k)
      EXPECT_NEAR(r.result["value"][k].get<double>(), expected[k], 1e-9);
  }
  EXPECT_EQ(r.result["method"].get<std::string>().rfind("low-rank", 0), 0u) << r.result.dump();
}

TEST(TensorLinalg, RefusalsNameTheField) {
  Fixture f;
  const std::vector<double> z = {1, 0, 0, 1};
  auto complex = f.store->put(encode_npy(Dtype::kComplex128, {2}, z.data(), 32)).tensor;
  const std::string cube = upload(*f.store, {1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2});
  const std::string nan = upload(*f.store, {1, std::nan("")}, {2});
  const std::string good = upload(*f.store, {1, 2, 3, 4}, {2, 2});
  struct Case {
    json payload;
    const char* error;
  };
  const Case cases[] = {
      {{{"operation", "matvec"}, {"matrix", id_ref("t-0123456789abcdef")}, {"vector", {1, 2}}},
       "matrix.tensor: no tensor 't-0123456789abcdef' (deleted, evicted or never uploaded)"},
      {{{"operation", "matvec"}, {"matrix", id_ref("password=hunter2")}, {"vector", {1, 2}}},
       "matrix.tensor: no such id"},
      {{{"operation", "matvec"}, {"matrix", {{"tensor", 5}}}, {"vector", {1, 2}}},
       "matrix.tensor: expected a tensor id string"},
      {{{"operation", "matvec"}, {"matrix", id_ref(complex->id)}, {"vector", {1, 2}}},
       "matrix: complex128 tensors are not supported"},
      {{{"operation", "svd"}, {"matrix", id_ref(cube)}}, "matrix: a 3-d tensor is not a matrix"},
      {{{"operation", "matvec"}, {"matrix", id_ref(good)}, {"vector", id_ref(nan)}},
       "vector: holds NaN or infinity"},
      {{{"operation", "matvec"}, {"matrix", id_ref(good)}, {"vector", id_ref(cube)}},
       "vector: a vector tensor must be 1-d"},
      {{{"operation", "matvec"}, {"matrix", id_ref(good)}, {"vector", {1, 2}}, {"output", "npy"}},
       "output: expected \"json\" or \"tensor\""},
  };
  for (const Case& c : cases) {
    SubmitResult r = f.jarvis.submit("linalg", "t", c.payload);
    EXPECT_FALSE(r.ok) << c.payload.dump();
    EXPECT_NE(r.error.find(c.error), std::string::npos) << r.error;
  }
  // Without a store, an id is refused rather than looked up.
  Jarvis5090X bare({cpu_device()}, nullptr, nullptr, nullptr, nullptr);
  SubmitResult r = bare.submit(
      "linalg", "t", {{"operation", "matvec"}, {"matrix", id_ref(good)}, {"vector", {1, 2}}});
  EXPECT_NE(r.error.find("no tensor store"), std::string::npos) << r.error;
}

// A task the cluster routes to another device gets the store too: the
// executor (as GpuExecutor does) resolves the ids, so a GPU-routed request
// naming tensors is not refused.
TEST(TensorLinalg, ADeviceExecutorResolvesTensorIds) {
  Fixture f;
  AdapterDevice gpu;
  gpu.id = "gpu0";
  gpu.kind = DeviceKind::Gpu;
  gpu.capabilities = {OperationKind::Linalg};
  gpu.throughput[kind_index(OperationKind::Linalg)] = 1e18;  // always the earliest finish
  f.jarvis.cluster().add_device(gpu);
  int calls = 0;
  f.jarvis.set_executor(
      "gpu0", [&](OperationKind, const json& payload, TensorStore* tensors, const StopToken&) {
        ++calls;
        EXPECT_EQ(tensors, f.store.get());
        return run_linalg(payload, PayloadLimits{}, nullptr, {}, {}, tensors);
      });
  constexpr size_t kM = 1000, kN = 500;  // 1 MFLOP: not a tiny task kept on the CPU
  const std::vector<double> a = random_values(kM * kN, 21), x = random_values(kN, 22);
  const std::string id = upload(*f.store, a, {kM, kN});
  const SubmitResult r = f.jarvis.submit(
      "linalg", "mv",
      {{"operation", "matvec"}, {"matrix", id_ref(id)}, {"vector", x}, {"compress", false}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.device, "gpu0");
  EXPECT_EQ(calls, 1);
  const std::vector<double> want = reference_matvec(a, x, kM, kN);
  ASSERT_EQ(r.result["value"].size(), kM);
  for (size_t i = 0; i < kM; ++i)
    EXPECT_NEAR(r.result["value"][i].get<double>(), want[i], 1e-12) << i;
}

// The hook a GPU uses to keep a tensor on the device: called for products
// whose matrix is a float64 tensor (with the tensor, rows and columns to
// read its bytes as), not for float32 tensors (widened into a copy) or JSON
// matrices; its answer is the result.
TEST(TensorLinalg, ATensorMatrixGoesToTheTensorProductHook) {
  TensorStore store;
  constexpr size_t kM = 37, kN = 23, kCols = 5;
  const std::vector<double> a = random_values(kM * kN, 31), x = random_values(kN, 32);
  const std::vector<double> other = random_values(kN * kCols, 33);
  const std::string id = upload(store, a, {kM, kN});
  std::vector<std::string> seen;
  const TensorProduct hook = [&](const StoredTensor& t, Eigen::Index rows, Eigen::Index cols,
                                 const Eigen::MatrixXd& b, Eigen::MatrixXd& c,
                                 std::string& method) -> std::string {
    seen.push_back(t.id + " " + std::to_string(rows) + "x" + std::to_string(cols));
    // What a device does with the bytes: read them as row-major.
    const Eigen::Map<const RowMajorMatrixXd> m(reinterpret_cast<const double*>(t.array.data()),
                                               rows, cols);
    c = m * b;
    method = "hook";
    return {};
  };
  int dense_calls = 0;
  const DenseProduct dense = [&](const Eigen::MatrixXd& m, const Eigen::MatrixXd& b,
                                 Eigen::MatrixXd& c, std::string& method) -> std::string {
    ++dense_calls;
    c = m * b;
    method = "dense-hook";
    return {};
  };
  const json matvec = {
      {"operation", "matvec"}, {"matrix", id_ref(id)}, {"vector", x}, {"compress", false}};
  OpResult r = run_linalg(matvec, PayloadLimits{}, nullptr, dense, {}, &store, hook);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["method"], "hook");
  expect_near(r.result["value"], reference_matvec(a, x, kM, kN));
  json rows = json::array();
  for (size_t i = 0; i < kN; ++i)
    rows.push_back(std::vector<double>(other.begin() + static_cast<long>(i * kCols),
                                       other.begin() + static_cast<long>((i + 1) * kCols)));
  const json matmul = {
      {"operation", "matmul"}, {"matrix", id_ref(id)}, {"other", rows}, {"compress", false}};
  r = run_linalg(matmul, PayloadLimits{}, nullptr, dense, {}, &store, hook);
  ASSERT_TRUE(r.ok) << r.error;
  for (size_t j = 0; j < kCols; ++j) {
    std::vector<double> column(kN);
    for (size_t i = 0; i < kN; ++i) column[i] = other[i * kCols + j];
    const std::vector<double> want = reference_matvec(a, column, kM, kN);
    for (size_t i = 0; i < kM; ++i)
      EXPECT_NEAR(r.result["value"][i][j].get<double>(), want[i], 1e-12) << i << "," << j;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{id + " 37x23", id + " 37x23"}));
  EXPECT_EQ(dense_calls, 0);

  // A float32 tensor and a JSON matrix go to the plain product hook.
  std::vector<float> a32(a.begin(), a.end());
  const auto put32 = store.put(encode_npy(Dtype::kFloat32, {kM, kN}, a32.data(), a32.size() * 4));
  ASSERT_TRUE(put32.tensor);
  json by32 = matvec;
  by32["matrix"] = id_ref(put32.tensor->id);
  r = run_linalg(by32, PayloadLimits{}, nullptr, dense, {}, &store, hook);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["method"], "dense-hook");
  json inline_matrix = matvec;
  inline_matrix["matrix"] = json::array({json::array({1.0, 2.0}), json::array({3.0, 4.0})});
  inline_matrix["vector"] = json::array({1.0, 1.0});
  r = run_linalg(inline_matrix, PayloadLimits{}, nullptr, dense, {}, &store, hook);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], json::array({3.0, 7.0}));
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(dense_calls, 2);
}

// A quantum state asked for as a tensor ("output": "tensor") is stored as
// complex128 (2^n,), the amplitudes the JSON state gives; a hit whose tensor
// was deleted is computed again; the refusals name the field.
TEST(TensorLinalg, AQuantumStateCanBeStoredAsAComplexTensor) {
  AdapterDevice cpu = cpu_device();
  cpu.capabilities.insert(OperationKind::Quantum);
  Jarvis5090X jarvis({cpu}, nullptr, nullptr, nullptr, nullptr);
  auto store = std::make_shared<TensorStore>();
  jarvis.use_tensor_store(store);
  const std::string qasm =
      "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\nh q[0];\ncx q[0], q[1];\n"
      "ry(0.7) q[2];\ns q[1];\n";
  const json as_json = {{"qasm", qasm}, {"return_state", true}, {"shots", 0}};
  json as_tensor = as_json;
  as_tensor["output"] = "tensor";
  const SubmitResult plain = jarvis.submit("quantum", "s", as_json);
  const SubmitResult stored = jarvis.submit("quantum", "s", as_tensor);
  ASSERT_TRUE(plain.ok && stored.ok) << plain.error << stored.error;
  EXPECT_FALSE(stored.result.contains("state"));
  const json& summary = stored.result.at("tensor");
  EXPECT_EQ(summary["dtype"], "complex128");
  EXPECT_EQ(summary["shape"], json::array({8}));
  auto tensor = store->find(summary["id"].get<std::string>());
  ASSERT_TRUE(tensor);
  ASSERT_EQ(tensor->array.dtype, Dtype::kComplex128);
  const auto* amplitudes = reinterpret_cast<const double*>(tensor->array.data());
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(amplitudes[2 * i], plain.result["state"][i][0].get<double>()) << i;
    EXPECT_EQ(amplitudes[2 * i + 1], plain.result["state"][i][1].get<double>()) << i;
  }
  EXPECT_TRUE(jarvis.submit("quantum", "s", as_tensor).cached);
  ASSERT_TRUE(store->erase(summary["id"].get<std::string>()));
  const SubmitResult again = jarvis.submit("quantum", "s", as_tensor);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_FALSE(again.cached);  // its tensor was gone: computed and stored again
  EXPECT_TRUE(store->find(again.result["tensor"]["id"].get<std::string>()));

  json no_state = as_tensor;
  no_state.erase("return_state");
  EXPECT_NE(jarvis.submit("quantum", "s", no_state)
                .error.find("output: \"tensor\" stores the "
                            "state vector"),
            std::string::npos);
  json bad = as_tensor;
  bad["output"] = "npy";
  EXPECT_EQ(jarvis.submit("quantum", "s", bad).error, "output: expected \"json\" or \"tensor\"");
  json sweep = as_tensor;
  sweep["qasm"] = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nrx(t) q[0];\n";
  sweep["parameters"] = {"t"};
  sweep["bindings"] = {{{"t", 0.1}}, {{"t", 0.2}}};
  EXPECT_NE(jarvis.submit("quantum", "s", sweep).error.find("takes one run"), std::string::npos);
}

}  // namespace
}  // namespace jarvis
