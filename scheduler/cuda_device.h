// CudaScanDevice: a CUDA GPU as a ScanDevice, driven by one host worker
// thread. Built only with the CUDA backend (SYNTHMINER_HAVE_CUDA). A CUDA
// error is a fault: the worker disables the device with the error text and
// the range goes back to the other devices.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "hashcore/cuda/cuda_scanner.h"
#include "scheduler/scan_device.h"

namespace synthminer::scheduler {

class CudaScanDevice : public ScanDevice {
 public:
  /// Opens CUDA device `index` as "cuda<index>"; nullptr with `error` set
  /// when it cannot be opened.
  static std::unique_ptr<CudaScanDevice> open(int index, std::string& error);

  std::string_view name() const override { return name_; }
  hashcore::ScanResult scan(const Midstate& midstate, hashcore::NonceRange range) override;
  std::optional<std::string> fault() const override { return fault_; }
  const hashcore::cuda::CudaDevice& device() const { return scanner_->device(); }

 private:
  CudaScanDevice(std::string name, std::unique_ptr<hashcore::cuda::CudaScanner> scanner)
      : name_(std::move(name)), scanner_(std::move(scanner)) {}

  std::string name_;
  std::unique_ptr<hashcore::cuda::CudaScanner> scanner_;
  std::optional<std::string> fault_;
};

}  // namespace synthminer::scheduler
