#include "devices/cuda_scan_device.h"

#include <algorithm>

namespace synthminer::devices {

std::unique_ptr<CudaScanDevice> CudaScanDevice::open(int index, std::string& error,
                                                     std::string_view kernel,
                                                     unsigned rolls_per_thread) {
  auto scanner = hashcore::cuda::CudaScanner::open(index, error, kernel);
  if (!scanner) return nullptr;
  return std::unique_ptr<CudaScanDevice>(new CudaScanDevice(
      "cuda" + std::to_string(index), std::move(scanner), std::max(rolls_per_thread, 1u)));
}

hashcore::ScanResult CudaScanDevice::scan(const scheduler::Midstate& midstate,
                                          hashcore::NonceRange range) {
  if (fault_) return {};
  std::string error;
  auto result = scanner_->scan(midstate.prepared, range, error);
  if (!result) {
    fault_ = "CUDA error: " + error;
    return {};
  }
  return std::move(*result);
}

std::vector<hashcore::ScanResult> CudaScanDevice::scan_rolls(
    std::span<const scheduler::Midstate* const> midstates, hashcore::NonceRange range) {
  if (fault_) return {};
  std::vector<hashcore::PreparedScan> headers;
  headers.reserve(midstates.size());
  for (const scheduler::Midstate* m : midstates) headers.push_back(m->prepared);
  std::string error;
  auto results = scanner_->scan_rolls(headers, range, rolls_per_thread_, error);
  if (!results) {
    fault_ = "CUDA error: " + error;
    return {};
  }
  return std::move(*results);
}

}  // namespace synthminer::devices
