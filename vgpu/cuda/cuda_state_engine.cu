#include "vgpu/cuda/cuda_state_engine.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "vgpu/cuda/cuda_check.h"
#include "vgpu/cuda/state_kernels.h"

namespace jarvis::gpu {
namespace {

namespace k = kernels;
using quantum::Op;
using quantum::OpKind;

constexpr unsigned kThreads = 256;
// Reductions use at most this many blocks, so the partial sums the host
// adds (in block order) are few and their order is fixed for a given n.
constexpr unsigned kReduceBlocks = 1024;

// Grid for `count` threads in grid-stride loops (grid.x stays far below its limit).
unsigned grid_for(uint64_t count) {
  const uint64_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::min<uint64_t>(blocks, uint64_t{1} << 20));
}

#define GRID_STRIDE(var, count)                                                       \
  for (uint64_t var = blockIdx.x * uint64_t{blockDim.x} + threadIdx.x; var < (count); \
       var += uint64_t{gridDim.x} * blockDim.x)

__global__ void matrix_kernel(double* a, uint64_t pairs, unsigned t, uint64_t controls, k::Mat2 u) {
  GRID_STRIDE(i, pairs) k::matrix_thread(a, i, t, controls, u);
}
__global__ void diag_kernel(double* a, uint64_t n, unsigned t, k::Mat2 u) {
  GRID_STRIDE(i, n) k::diag_thread(a, i, t, u);
}
__global__ void phase_kernel(double* a, uint64_t n, uint64_t mask, k::Mat2 u) {
  GRID_STRIDE(i, n) k::phase_thread(a, i, mask, u);
}
__global__ void swap_kernel(double* a, uint64_t n, uint64_t off0, uint64_t off1,
                            uint64_t controls) {
  GRID_STRIDE(i, n) k::swap_thread(a, i, off0, off1, controls);
}
__global__ void collapse_kernel(double* a, uint64_t n, unsigned q, unsigned outcome, double scale) {
  GRID_STRIDE(i, n) k::collapse_thread(a, i, q, outcome, scale);
}

// Per block: the sums of |a|^2 where bit q is 0 and 1, into out[2 * block].
__global__ void qubit_norm_kernel(const double* a, uint64_t n, unsigned q, double* out) {
  __shared__ double s0[kThreads];
  __shared__ double s1[kThreads];
  double sum[2] = {0.0, 0.0};
  GRID_STRIDE(i, n) sum[(i >> q) & 1] += k::norm_of(a, i);
  s0[threadIdx.x] = sum[0];
  s1[threadIdx.x] = sum[1];
  __syncthreads();
  for (unsigned half = kThreads / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) {
      s0[threadIdx.x] += s0[threadIdx.x + half];
      s1[threadIdx.x] += s1[threadIdx.x + half];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    out[2 * blockIdx.x] = s0[0];
    out[2 * blockIdx.x + 1] = s1[0];
  }
}

}  // namespace

CudaStateEngine::CudaStateEngine(int cuda_index, unsigned qubits, const StopToken* stop)
    : device_(cuda_index), qubits_(qubits), stop_(stop) {
  if (std::string err = select_device(device_); !err.empty()) throw std::runtime_error(err);
}

CudaStateEngine::~CudaStateEngine() {
  // Frees on the engine's device; errors here have nobody to go to.
  cudaSetDevice(device_);
  for (double* p : slots_) cudaFree(p);
  cudaFree(partials_);
}

double* CudaStateEngine::slot(unsigned index) {
  if (slots_.size() <= index) slots_.resize(index + 1, nullptr);
  if (slots_[index] == nullptr) {
    const size_t bytes = size_t{16} << qubits_;
    void* p = nullptr;
    check(cudaMalloc(&p, bytes),
          device_id(device_) + ": cudaMalloc of " + std::to_string(bytes >> 20) + " MiB");
    slots_[index] = static_cast<double*>(p);
  }
  return slots_[index];
}

void CudaStateEngine::reset(unsigned index) {
  double* a = slot(index);
  const std::string where = device_id(device_) + ": reset";
  check(cudaMemset(a, 0, size_t{16} << qubits_), where);
  const double one = 1.0;
  check(cudaMemcpy(a, &one, sizeof one, cudaMemcpyHostToDevice), where);
}

void CudaStateEngine::copy(unsigned dst, unsigned src) {
  double* s = slot(src);
  double* d = slot(dst);
  check(cudaMemcpy(d, s, size_t{16} << qubits_, cudaMemcpyDeviceToDevice),
        device_id(device_) + ": copy");
}

void CudaStateEngine::apply(unsigned index, std::span<const Op> ops) {
  double* a = slot(index);
  const uint64_t n = uint64_t{1} << qubits_;
  for (const Op& op : ops) {
    switch (op.kind) {
      case OpKind::kMatrix:
        matrix_kernel<<<grid_for(n / 2), kThreads>>>(a, n / 2, op.target, op.controls,
                                                     k::to_mat2(op));
        break;
      case OpKind::kDiag:
        diag_kernel<<<grid_for(n), kThreads>>>(a, n, op.target, k::to_mat2(op));
        break;
      case OpKind::kPhase:
        phase_kernel<<<grid_for(n), kThreads>>>(a, n, op.mask, k::to_mat2(op));
        break;
      case OpKind::kSwap:
        swap_kernel<<<grid_for(n), kThreads>>>(a, n, op.off0, op.off1, op.controls);
        break;
      case OpKind::kMeasure:
        throw std::logic_error("CudaStateEngine::apply: a measurement among the gates");
      case OpKind::kDense:
        // Only the CPU executor makes dense ops (its fusion, and float32).
        throw std::logic_error("CudaStateEngine::apply: a dense op among the gates");
    }
    check(cudaGetLastError(), device_id(device_) + ": gate kernel launch");
    flops_ += quantum::op_flops(op, qubits_);
    if (stop_ && (amplitudes_since_check_ += n) >= kAmplitudesBetweenChecks) {
      amplitudes_since_check_ = 0;
      synchronize();
      stop_->check();
    }
  }
}

std::array<double, 2> CudaStateEngine::qubit_probabilities(unsigned index, unsigned q) {
  const double* a = slot(index);
  const uint64_t n = uint64_t{1} << qubits_;
  const unsigned blocks = std::min<unsigned>(grid_for(n), kReduceBlocks);
  const std::string where = device_id(device_) + ": qubit probabilities";
  if (partials_ == nullptr) {
    void* p = nullptr;
    check(cudaMalloc(&p, 2 * kReduceBlocks * sizeof(double)), where);
    partials_ = static_cast<double*>(p);
  }
  qubit_norm_kernel<<<blocks, kThreads>>>(a, n, q, partials_);
  check(cudaGetLastError(), where);
  std::vector<double> host(2 * blocks);
  check(cudaMemcpy(host.data(), partials_, host.size() * sizeof(double), cudaMemcpyDeviceToHost),
        where);
  std::array<double, 2> total{0.0, 0.0};
  for (unsigned b = 0; b < blocks; ++b) {
    total[0] += host[2 * b];
    total[1] += host[2 * b + 1];
  }
  // |a|^2 and its accumulation per amplitude; the tree and the host adds.
  flops_ += 4 * n + 2 * uint64_t{kThreads} * blocks;
  return total;
}

void CudaStateEngine::collapse(unsigned index, unsigned q, unsigned outcome, double p_outcome) {
  double* a = slot(index);
  const uint64_t n = uint64_t{1} << qubits_;
  collapse_kernel<<<grid_for(n), kThreads>>>(a, n, q, outcome, 1.0 / std::sqrt(p_outcome));
  check(cudaGetLastError(), device_id(device_) + ": collapse");
  flops_ += 2 + n;  // sqrt and divide, then 2 multiplies per kept amplitude
}

const quantum::StateVector& CudaStateEngine::host_state(unsigned index) {
  const double* a = slot(index);
  if (!host_) host_ = std::make_unique<quantum::StateVector>(qubits_);
  check(cudaMemcpy(host_->data(), a, size_t{16} << qubits_, cudaMemcpyDeviceToHost),
        device_id(device_) + ": read back");
  return *host_;
}

void CudaStateEngine::synchronize() {
  check(cudaDeviceSynchronize(), device_id(device_) + ": synchronize");
}

}  // namespace jarvis::gpu
