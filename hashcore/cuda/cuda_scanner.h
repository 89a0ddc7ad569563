// The sha256d scan on one CUDA device. Plain C++ header: callers need no
// CUDA toolkit. Results are exact: the kernel's prefilter hits are re-checked
// with the reference on the host, like every CPU backend's.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hashcore/backend.h"
#include "hashcore/cuda/cuda_devices.h"

namespace synthminer::hashcore::cuda {

class CudaScanner {
 public:
  /// Opens device `index` (see list_cuda_devices); nullptr with `error` set
  /// when there is no such device or the runtime fails.
  static std::unique_ptr<CudaScanner> open(int index, std::string& error);
  ~CudaScanner();
  CudaScanner(const CudaScanner&) = delete;
  CudaScanner& operator=(const CudaScanner&) = delete;

  /// Scans `range` (cut at nonce 2^32 - 1, never wrapping). Queues the
  /// launches on the device's stream and waits for them. nullopt with
  /// `error` set on any CUDA error: the caller disables the device.
  std::optional<ScanResult> scan(const PreparedScan& prepared, NonceRange range,
                                 std::string& error);

  const CudaDevice& device() const;

 private:
  struct Impl;
  explicit CudaScanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace synthminer::hashcore::cuda
