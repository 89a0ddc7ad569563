// The one place that knows how a CUDA GPU becomes a Jarvis device: measured
// (calibrate_gpu) and given an executor (GpuExecutor). Without CUDA the build
// compiles cuda_vgpu_device_none.cpp instead (chosen in CMake), which answers
// "not built with CUDA", so callers make the same call either way. Plain
// C++ header: callers need no CUDA toolkit to include it.
#pragma once

#include <string>

#include "vgpu/adapter_cluster.h"
#include "vgpu/jarvis.h"

namespace jarvis::gpu {

/// One CUDA GPU made routable, or why it is not.
struct CudaVgpuDevice {
  bool ok = false;
  std::string error;     ///< when !ok: why it is left out
  std::string note;      ///< when ok: what the calibration left out, or empty
  AdapterDevice device;  ///< id "gpu<index>", measured throughput per kind
  DeviceLink link;       ///< measured host-to-device transfer
  DeviceExecutor run;    ///< runs one task on the GPU; thread-safe
};

/// Measures CUDA device `cuda_index` (about `calibration_seconds` per
/// operation kind) and makes its executor with `config`'s quantum options and
/// limits. Never throws; a build without CUDA answers ok = false.
CudaVgpuDevice make_cuda_vgpu_device(int cuda_index, const JarvisConfig& config,
                                     double calibration_seconds);

}  // namespace jarvis::gpu
