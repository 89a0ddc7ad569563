#include "scheduler/cuda_device.h"

namespace synthminer::scheduler {

std::unique_ptr<CudaScanDevice> CudaScanDevice::open(int index, std::string& error) {
  auto scanner = hashcore::cuda::CudaScanner::open(index, error);
  if (!scanner) return nullptr;
  return std::unique_ptr<CudaScanDevice>(
      new CudaScanDevice("cuda" + std::to_string(index), std::move(scanner)));
}

hashcore::ScanResult CudaScanDevice::scan(const Midstate& midstate, hashcore::NonceRange range) {
  if (fault_) return {};
  std::string error;
  auto result = scanner_->scan(midstate.prepared, range, error);
  if (!result) {
    fault_ = "CUDA error: " + error;
    return {};
  }
  return std::move(*result);
}

}  // namespace synthminer::scheduler
