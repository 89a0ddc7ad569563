#include "hashcore/cuda/cuda_devices.h"

#include <cuda_runtime.h>

namespace synthminer::hashcore::cuda {

CudaInventory list_cuda_devices() {
  CudaInventory inventory;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaErrorInsufficientDriver || err == cudaErrorNoDevice) {
    // Without a driver the runtime says "driver version is insufficient":
    // on a machine with no GPU that simply means there is none.
    inventory.none_reason = err == cudaErrorNoDevice
                                ? "no CUDA-capable device"
                                : "no NVIDIA driver (or one too old for CUDA 13)";
    return inventory;
  }
  if (err != cudaSuccess) {
    inventory.none_reason = std::string("CUDA runtime error: ") + cudaGetErrorString(err);
    return inventory;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    CudaDevice d;
    d.index = i;
    d.name = prop.name;
    d.memory_bytes = prop.totalGlobalMem;
    d.compute_major = prop.major;
    d.compute_minor = prop.minor;
    cudaDeviceGetAttribute(&d.multiprocessors, cudaDevAttrMultiProcessorCount, i);
    cudaDeviceGetAttribute(&d.clock_khz, cudaDevAttrClockRate, i);
    inventory.devices.push_back(std::move(d));
  }
  if (inventory.devices.empty()) inventory.none_reason = "no CUDA-capable device";
  return inventory;
}

}  // namespace synthminer::hashcore::cuda
