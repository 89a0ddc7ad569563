// ScanDevice: what a worker hashes a batch with. BackendDevice scans on
// this CPU with one hashcore backend; tests add devices of their own.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hashcore/backend.h"
#include "scheduler/precompute.h"

namespace synthminer::scheduler {

class ScanDevice {
 public:
  virtual ~ScanDevice() = default;
  /// A stable name for reports and health records ("cpu0").
  virtual std::string_view name() const = 0;
  /// Hashes `range` of `midstate` (at most 2^32 - start nonces) and returns
  /// the hashes done and the nonces it claims meet the share target. Called
  /// from the device's worker thread only.
  virtual hashcore::ScanResult scan(const Midstate& midstate, hashcore::NonceRange range) = 0;
  /// How many version rolls of one header the device hashes together (see
  /// scan_rolls); above 1, its worker takes roll batches.
  virtual unsigned rolls() const { return 1; }
  /// Hashes `range` of each of `midstates` (version rolls of one
  /// extranonce2 value: the same second block); one result per midstate.
  /// This default scans them one by one.
  virtual std::vector<hashcore::ScanResult> scan_rolls(std::span<const Midstate* const> midstates,
                                                       hashcore::NonceRange range) {
    std::vector<hashcore::ScanResult> results;
    for (const Midstate* m : midstates) {
      results.push_back(scan(*m, range));
      if (fault()) break;
    }
    return results;
  }
  /// Set once the device has failed outright (its last scan did not run):
  /// the worker disables it with this reason and gives the range back.
  virtual std::optional<std::string> fault() const { return std::nullopt; }
};

/// A CPU device scanning with `backend`, which the CPU must support (take
/// it from hashcore::Dispatch).
class BackendDevice : public ScanDevice {
 public:
  BackendDevice(std::string name, const hashcore::Backend& backend)
      : name_(std::move(name)), backend_(backend) {}
  std::string_view name() const override { return name_; }
  hashcore::ScanResult scan(const Midstate& midstate, hashcore::NonceRange range) override {
    return hashcore::scan(backend_, midstate.prepared, range);
  }

 private:
  std::string name_;
  const hashcore::Backend& backend_;
};

}  // namespace synthminer::scheduler
