// The GPU half of the factory in a build without nvcc: no GPU, and every
// answer says why.
#include "devices/gpu_devices.h"

namespace synthminer::devices {
namespace {

constexpr const char* kNotBuilt = "cuda: not built (nvcc was not found at configure time)";

}  // namespace

bool gpu_backend_built() {
  return false;
}

void add_gpu_workers(const config::Config& config, DeviceSetup& setup) {
  if (config.devices.cuda.enabled) setup.notes.push_back(kNotBuilt);
}

void print_cuda_devices(std::ostream& out) {
  out << kNotBuilt << '\n';
}

void run_cuda_benchmarks(std::ostream& out, const CudaBenchmarkOptions&) {
  out << kNotBuilt << '\n';
}

}  // namespace synthminer::devices
