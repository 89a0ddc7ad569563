#include "vgpu/cuda/gpu_executor.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <utility>

#include "vgpu/cuda/cuda_check.h"
#include "vgpu/cuda/cuda_state_engine.h"
#include "vgpu/cuda/gpu_linalg.h"
#include "vgpu/cuda/gpu_solver.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/quantum/quantum_run.h"

namespace jarvis::gpu {
namespace {

// Device memory left to the CUDA runtime and cuBLAS when sizing states.
constexpr uint64_t kMemoryMargin = 256ull << 20;

OpResult from_outcome(QuantumOutcome outcome, const std::string& id) {
  if (!outcome.ok) {
    OpResult refused = OpResult::failure(std::move(outcome.error));
    refused.error_kind = outcome.error_kind;
    return refused;
  }
  outcome.result["device"] = id;
  return OpResult::success(std::move(outcome.result), outcome.flops);
}

// The copy of float64 tensor `a` that device `cuda_index` keeps: uploaded
// at the first product that names the tensor, kept in a.device_copies under
// `id` and freed when the store drops the tensor. Null with `err` when it
// cannot be uploaded. The caller holds the pointer while the device reads it.
std::shared_ptr<DeviceBuffer> device_copy(const StoredTensor& a, int cuda_index,
                                          const std::string& id, std::string& err) {
  if (auto kept = a.device_copies.get(id)) return std::static_pointer_cast<DeviceBuffer>(kept);
  // Freed on whichever thread lets go last: on this device, and that
  // thread's own current device left as it was.
  std::shared_ptr<DeviceBuffer> copy(new DeviceBuffer, [cuda_index](DeviceBuffer* buffer) {
    int current = -1;
    const bool known = cudaGetDevice(&current) == cudaSuccess;
    cudaSetDevice(cuda_index);
    delete buffer;
    if (known) cudaSetDevice(current);
  });
  err = copy->upload(reinterpret_cast<const double*>(a.array.data()), a.bytes() / sizeof(double),
                     id + ": tensor " + a.id);
  if (!err.empty()) return nullptr;
  a.device_copies.put(id, copy);
  return copy;
}

}  // namespace

struct GpuExecutor::Impl {
  Impl(int index, QuantumOptions q, PayloadLimits l)
      : cuda_index(index),
        id(device_id(index)),
        quantum(q),
        limits(l),
        blas(index),
        solver(index),
        solver_loaded(cusolver_available(nullptr)) {}

  quantum::Simulation simulate(const quantum::Circuit& circuit, const StopToken& stop);
  OpResult run_quantum(const nlohmann::json& payload, const StopToken& stop);
  OpResult run_linalg_task(const nlohmann::json& payload, TensorStore* tensors,
                           const StopToken& stop = {});

  const int cuda_index;
  const std::string id;
  const QuantumOptions quantum;
  const PayloadLimits limits;
  std::mutex mu;  // one task at a time on the device; guards blas and solver
  GpuBlas blas;
  GpuSolver solver;
  const bool solver_loaded;   // cuSOLVER loads here; else solve runs on the host
  bool tensor_copies = true;  // products by tensor id read the device's copy (guarded by mu)
};

// The host's plan (same refusals for the same limits), with the device's
// free memory as a further limit, run on device-resident states.
quantum::Simulation GpuExecutor::Impl::simulate(const quantum::Circuit& circuit,
                                                const StopToken& stop) {
  quantum::Simulation sim;
  if (sim.error = select_device(cuda_index); !sim.error.empty()) return sim;
  size_t free = 0, total = 0;
  if (const cudaError_t e = cudaMemGetInfo(&free, &total); e != cudaSuccess) {
    sim.error = id + ": cudaMemGetInfo: " + cudaGetErrorString(e);
    return sim;
  }
  const uint64_t device_limit = free > kMemoryMargin ? free - kMemoryMargin : 0;
  quantum::SimulationPlan plan =
      quantum::plan_simulation(circuit, std::min<uint64_t>(quantum.max_state_bytes, device_limit));
  if (!plan.error.empty()) {
    sim.error = std::move(plan.error);
    if (device_limit < quantum.max_state_bytes)
      sim.error += " (" + id + " has " + quantum::format_bytes(free) + " free)";
    return sim;
  }
  CudaStateEngine engine(cuda_index, circuit.qubits, &stop);
  return quantum::run_plan(circuit, std::move(plan), engine, stop);
}

OpResult GpuExecutor::Impl::run_quantum(const nlohmann::json& payload, const StopToken& stop) {
  return from_outcome(
      quantum::run_payload(
          payload, quantum, [this, &stop](const quantum::Circuit& c) { return simulate(c, stop); },
          stop),
      id);
}

OpResult GpuExecutor::Impl::run_linalg_task(const nlohmann::json& payload, TensorStore* tensors,
                                            const StopToken& stop) {
  bool on_device = false;
  const DenseProduct product = [&](const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                                   Eigen::MatrixXd& c, std::string& method) -> std::string {
    if (auto err = select_device(cuda_index); !err.empty()) return err;
    on_device = true;
    return blas.product(a, b, c, method);
  };
  // A float64 tensor operand stays on the device between products.
  const TensorProduct tensor_product = [&](const StoredTensor& a, Eigen::Index rows,
                                           Eigen::Index cols, const Eigen::MatrixXd& b,
                                           Eigen::MatrixXd& c, std::string& method) -> std::string {
    if (auto err = select_device(cuda_index); !err.empty()) return err;
    on_device = true;
    std::string err;
    const std::shared_ptr<DeviceBuffer> copy = device_copy(a, cuda_index, id, err);
    if (!copy) return err;
    return blas.product_row_major(copy->get(), rows, cols, b, c, method);
  };
  DenseSolve solve;  // empty: Eigen solves on the host
  if (solver_loaded)
    solve = [&](const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                DenseSolution& out) -> std::string {
      if (auto err = select_device(cuda_index); !err.empty()) return err;
      on_device = true;
      return solver.solve(a, b, out);
    };
  OpResult r = run_linalg(payload, limits, nullptr, product, solve, tensors,
                          tensor_copies ? tensor_product : TensorProduct(), stop);
  // transpose and svd (and solve without cuSOLVER) run on the host; the result says so.
  if (r.ok) r.result["device"] = on_device ? id : std::string("host");
  return r;
}

GpuExecutor::GpuExecutor(int cuda_index, QuantumOptions quantum, PayloadLimits limits)
    : impl_(std::make_unique<Impl>(cuda_index, quantum, limits)) {}

GpuExecutor::~GpuExecutor() = default;

std::string GpuExecutor::check_tensor_copies() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  TensorStore store;
  constexpr uint64_t kRows = 7, kCols = 5;
  std::vector<double> a(kRows * kCols);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = 0.37 * static_cast<double>(i) - 3.0 / (1.0 + static_cast<double>(i % 4));
  const PutOutcome put =
      store.put(encode_npy(Dtype::kFloat64, {kRows, kCols}, a.data(), a.size() * sizeof(double)));
  const nlohmann::json id = {{"tensor", put.tensor ? put.tensor->id : ""}};
  const nlohmann::json vector = {1.0, -2.0, 0.5, 4.0, -1.5};
  const nlohmann::json other = {
      {1.0, 0.0, 2.0}, {0.5, -1.0, 1.0}, {3.0, 2.0, -2.0}, {-1.0, 1.0, 0.0}, {2.0, 0.25, 1.0}};
  std::string why;
  for (const nlohmann::json& payload :
       {nlohmann::json{{"operation", "matvec"}, {"matrix", id}, {"vector", vector}},
        nlohmann::json{{"operation", "matmul"}, {"matrix", id}, {"other", other}}}) {
    const OpResult want = run_linalg(payload, impl_->limits, nullptr, {}, {}, &store);
    const OpResult got = impl_->run_linalg_task(payload, &store);
    if (!got.ok) {
      why = got.error;
      break;
    }
    // The same numbers flattened: a wrong layout moves them, rounding does not.
    const nlohmann::json w = want.result["value"].flatten(), g = got.result["value"].flatten();
    for (const auto& [path, value] : w.items()) {
      if (!g.contains(path) || std::abs(g[path].get<double>() - value.get<double>()) > 1e-9)
        why = "the product from the device's copy differs from the host's at " + path;
    }
    if (!why.empty()) break;
  }
  if (why.empty()) return {};
  impl_->tensor_copies = false;
  return "linalg by tensor id uploads the matrix for each product (self-check: " + why + ")";
}

const std::string& GpuExecutor::id() const {
  return impl_->id;
}

OpResult GpuExecutor::run(OperationKind kind, const nlohmann::json& payload, TensorStore* tensors,
                          const StopToken& stop) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    switch (kind) {
      case OperationKind::Quantum:
        return impl_->run_quantum(payload, stop);
      case OperationKind::Linalg:
        return impl_->run_linalg_task(payload, tensors, stop);
      case OperationKind::Hashing:
      case OperationKind::Generic:
        break;
    }
    return OpResult::failure(impl_->id + ": runs quantum and linalg tasks only, not " +
                             std::string(to_string(kind)));
  } catch (const std::exception& e) {
    return OpResult::failure(impl_->id + ": " + e.what());
  }
}

}  // namespace jarvis::gpu
