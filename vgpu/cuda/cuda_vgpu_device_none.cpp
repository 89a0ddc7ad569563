// make_cuda_vgpu_device for a build without nvcc (vgpu/cuda/CMakeLists.txt
// compiles this file instead of the CUDA sources).
#include "vgpu/cuda/cuda_vgpu_device.h"

namespace jarvis::gpu {

CudaVgpuDevice make_cuda_vgpu_device(int, const JarvisConfig&, double) {
  CudaVgpuDevice d;
  d.error = "not built with CUDA";
  return d;
}

}  // namespace jarvis::gpu
