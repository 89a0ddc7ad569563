// The GPU half of the device factory: everything the daemon may ask about
// GPUs. CMake compiles one of two implementations (devices/CMakeLists.txt):
// cuda_devices.cpp + cuda_benchmark.cpp when nvcc was found, else
// no_cuda_devices.cpp, where each answer is "not built". Callers never ask
// which one they got; only tests may ask gpu_backend_built().
#pragma once

#include <ostream>
#include <string>

#include "config/config.h"
#include "devices/device_setup.h"

namespace synthminer::devices {

/// True when this build has the CUDA backend.
bool gpu_backend_built();

/// Appends one mining device per CUDA device that devices.cuda enables and
/// that opens and calibrates; everything skipped (disabled, no GPU, not
/// built, an error) becomes a note in `setup`.
void add_gpu_workers(const config::Config& config, DeviceSetup& setup);

/// One line per CUDA device, or why there is none (the self-test report).
void print_cuda_devices(std::ostream& out);

struct CudaBenchmarkOptions {
  double seconds = 5;  ///< per kernel shape and roll count
  std::string kernel;  ///< a kernel shape's name, "all", or empty: the default
  unsigned rolls = 1;  ///< headers (version rolls) per launch; 0: 1, 2, 4 and 8
};

/// Measures each CUDA device and prints a line per kernel shape and roll
/// count (or why there is no device). A device error is reported, not fatal.
void run_cuda_benchmarks(std::ostream& out, const CudaBenchmarkOptions& options);

}  // namespace synthminer::devices
