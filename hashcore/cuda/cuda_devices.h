// The CUDA devices of this machine, through the CUDA runtime. Plain C++
// header: callers need no CUDA toolkit to include it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace synthminer::hashcore::cuda {

struct CudaDevice {
  int index = 0;
  std::string name;
  int multiprocessors = 0;
  int clock_khz = 0;  ///< SM clock
  size_t memory_bytes = 0;
  int compute_major = 0, compute_minor = 0;
};

struct CudaInventory {
  std::vector<CudaDevice> devices;
  std::string none_reason;  ///< why there are none, e.g. "no NVIDIA driver"
};

/// Lists the devices. Never throws: no driver or no device is an empty list
/// with a reason, not an error.
CudaInventory list_cuda_devices();

}  // namespace synthminer::hashcore::cuda
