// Small helpers around the CUDA runtime for the vgpu CUDA files (host code;
// includes the runtime API header, so only this folder's sources use it).
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace jarvis::gpu {

/// "gpu<index>".
inline std::string device_id(int cuda_index) {
  return "gpu" + std::to_string(cuda_index);
}

/// Makes `cuda_index` the calling thread's device. Empty on success, else
/// why not: no driver (cudaErrorInsufficientDriver) and no device are
/// answers, not failures.
std::string select_device(int cuda_index);

/// Throws std::runtime_error "<what>: <CUDA error text>" when err is not cudaSuccess.
inline void check(cudaError_t err, const std::string& what) {
  if (err != cudaSuccess) throw std::runtime_error(what + ": " + cudaGetErrorString(err));
}

}  // namespace jarvis::gpu

namespace jarvis::gpu {

/// Device memory freed on destruction (on the current device).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  ~DeviceBuffer() { cudaFree(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  /// Allocates `bytes`; empty on success, else "<what>: <CUDA error>".
  std::string allocate(size_t bytes, const std::string& what) {
    const cudaError_t err = cudaMalloc(&ptr_, bytes);
    if (err == cudaSuccess) return {};
    ptr_ = nullptr;
    return what + ": cudaMalloc of " + std::to_string(bytes) + " bytes: " + cudaGetErrorString(err);
  }
  /// Allocates room for `count` values of `data` and copies them over
  /// (blocking). Empty on success, else "<what>: cudaMalloc|cudaMemcpy: ...".
  template <typename T>
  std::string upload(const T* data, size_t count, const std::string& what) {
    if (auto err = allocate(sizeof(T) * count, what); !err.empty()) return err;
    const cudaError_t e = cudaMemcpy(ptr_, data, sizeof(T) * count, cudaMemcpyHostToDevice);
    return e == cudaSuccess ? std::string() : what + ": cudaMemcpy: " + cudaGetErrorString(e);
  }
  /// Copies the first `count` values back into `out` (blocking: on the
  /// legacy default stream it waits for the work queued before it). Empty on
  /// success, else "<what>: cudaMemcpy: ...".
  template <typename T>
  std::string download(T* out, size_t count, const std::string& what) const {
    const cudaError_t e = cudaMemcpy(out, ptr_, sizeof(T) * count, cudaMemcpyDeviceToHost);
    return e == cudaSuccess ? std::string() : what + ": cudaMemcpy: " + cudaGetErrorString(e);
  }
  double* get() const { return static_cast<double*>(ptr_); }
  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }

 private:
  void* ptr_ = nullptr;
};

}  // namespace jarvis::gpu
