#include "vgpu/cuda/cuda_check.h"

#include "vgpu/cuda/gpu_executor.h"

namespace jarvis::gpu {

int cuda_device_count(std::string* why) {
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaSuccess && count > 0) return count;
  cudaGetLastError();  // clear it, so the next call does not report it again
  if (why != nullptr)
    *why = err == cudaSuccess || err == cudaErrorNoDevice ? std::string("no CUDA device")
           : err == cudaErrorInsufficientDriver
               ? std::string("no NVIDIA driver (or one too old for CUDA 13)")
               : std::string(cudaGetErrorString(err));
  return 0;
}

std::string select_device(int cuda_index) {
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaErrorInsufficientDriver || err == cudaErrorNoDevice) {
    cudaGetLastError();  // clear it, so the next call does not report it again
    return device_id(cuda_index) + ": no CUDA device here (" + cudaGetErrorString(err) + ")";
  }
  if (err != cudaSuccess)
    return device_id(cuda_index) + ": cudaGetDeviceCount: " + cudaGetErrorString(err);
  if (cuda_index < 0 || cuda_index >= count)
    return device_id(cuda_index) + ": no such CUDA device (" + std::to_string(count) + " present)";
  if (const cudaError_t set = cudaSetDevice(cuda_index); set != cudaSuccess)
    return device_id(cuda_index) + ": cudaSetDevice: " + cudaGetErrorString(set);
  return {};
}

}  // namespace jarvis::gpu
