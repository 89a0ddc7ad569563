// The sha256d scan on one CUDA device. Plain C++ header: callers need no
// CUDA toolkit. Results are exact: the kernel's prefilter hits are re-checked
// with the reference on the host, like every CPU backend's.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hashcore/backend.h"
#include "hashcore/cuda/cuda_devices.h"

namespace synthminer::hashcore::cuda {

/// One launch shape of the scan kernel. Every shape computes the same
/// result; they differ only in speed, which depends on the chip.
struct CudaKernelShape {
  std::string name;      ///< e.g. "t256x16": 256 threads, 16 nonces each
  unsigned threads = 0;  ///< per block
  unsigned nonces_per_thread = 0;
  bool imad_adds = false;  ///< adds as IMADs on the FMA pipe (see CudaLane)
};

/// The shapes built in; the first is the default.
const std::vector<CudaKernelShape>& cuda_kernel_shapes();

/// Version rolls scanned together by one thread (the second block's message
/// schedule is shared between them): 1, 2, 4 or 8.
inline constexpr unsigned kMaxRollsPerThread = 8;

class CudaScanner {
 public:
  /// Opens device `index` (see list_cuda_devices) with the kernel shape
  /// named `kernel` (empty: the default); nullptr with `error` set when
  /// there is no such device or shape, or the runtime fails.
  static std::unique_ptr<CudaScanner> open(int index, std::string& error,
                                           std::string_view kernel = {});
  ~CudaScanner();
  CudaScanner(const CudaScanner&) = delete;
  CudaScanner& operator=(const CudaScanner&) = delete;

  /// Scans `range` (cut at nonce 2^32 - 1, never wrapping). Queues the
  /// launches on the device's stream and waits for them. nullopt with
  /// `error` set on any CUDA error: the caller disables the device.
  std::optional<ScanResult> scan(const PreparedScan& prepared, NonceRange range,
                                 std::string& error);

  /// Scans the same `range` of several headers that differ only in their
  /// first 64 bytes (version rolls of one job: same tail and target), up to
  /// `rolls_per_thread` of them per thread. One result per header, in order.
  /// `error` names a header whose tail or target differs.
  std::optional<std::vector<ScanResult>> scan_rolls(std::span<const PreparedScan> headers,
                                                    NonceRange range, unsigned rolls_per_thread,
                                                    std::string& error);

  const CudaDevice& device() const;
  const CudaKernelShape& kernel() const;

 private:
  struct Impl;
  explicit CudaScanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace synthminer::hashcore::cuda
