// CudaScanDevice: a CUDA GPU as a ScanDevice, driven by one host worker
// thread. Compiled only into a CUDA build (devices/CMakeLists.txt); only
// cuda_devices.cpp makes one. A CUDA error is a fault: the worker disables the device with the
// error text and the range goes back to the other devices.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hashcore/cuda/cuda_scanner.h"
#include "scheduler/scan_device.h"

namespace synthminer::devices {

class CudaScanDevice : public scheduler::ScanDevice {
 public:
  /// Opens CUDA device `index` as "cuda<index>"; nullptr with `error` set
  /// when it cannot be opened.
  /// `kernel`: a kernel shape (empty: the default); `rolls_per_thread`: the
  /// version rolls one GPU thread hashes together (1 turns roll batches off).
  static std::unique_ptr<CudaScanDevice> open(int index, std::string& error,
                                              std::string_view kernel = {},
                                              unsigned rolls_per_thread = kDefaultRollsPerThread);

  /// Measured best on an H200 (docs/PERFORMANCE.md).
  static constexpr unsigned kDefaultRollsPerThread = 8;

  std::string_view name() const override { return name_; }
  unsigned rolls() const override {
    return rolls_per_thread_ > 1 ? scheduler::kMaxVersionRolls : 1;
  }
  hashcore::ScanResult scan(const scheduler::Midstate& midstate,
                            hashcore::NonceRange range) override;
  std::vector<hashcore::ScanResult> scan_rolls(
      std::span<const scheduler::Midstate* const> midstates, hashcore::NonceRange range) override;
  std::optional<std::string> fault() const override { return fault_; }
  const hashcore::cuda::CudaDevice& device() const { return scanner_->device(); }
  const hashcore::cuda::CudaKernelShape& kernel() const { return scanner_->kernel(); }
  unsigned rolls_per_thread() const { return rolls_per_thread_; }

 private:
  CudaScanDevice(std::string name, std::unique_ptr<hashcore::cuda::CudaScanner> scanner,
                 unsigned rolls_per_thread)
      : name_(std::move(name)), scanner_(std::move(scanner)), rolls_per_thread_(rolls_per_thread) {}

  std::string name_;
  std::unique_ptr<hashcore::cuda::CudaScanner> scanner_;
  unsigned rolls_per_thread_;
  std::optional<std::string> fault_;
};

}  // namespace synthminer::devices
