// Verifier: the CPU's last word on a device's candidate nonce. It rebuilds
// the header from the job (protocol::share_header, independent of the
// midstate the device scanned), hashes it with the reference and checks
// the share target. A miss is a hardware error for that device; a hit
// becomes a protocol::Share, flagged as a block when it also meets the
// network target, unless a clean job superseded its generation (stale).
//
// Design: any thread may call verify(); one mutex guards the per-device
// health records and the counters. Candidates are rare, so it never
// contends with the hashing itself.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hashcore/sha256.h"
#include "protocol/job.h"
#include "scheduler/device_health.h"
#include "scheduler/generation.h"
#include "scheduler/precompute.h"

namespace synthminer::scheduler {

enum class CandidateFate { kShare, kHardwareError, kStale };
const char* to_string(CandidateFate fate);

struct Verification {
  CandidateFate fate = CandidateFate::kHardwareError;
  std::optional<protocol::Share> share;  ///< kShare, and kStale (for accounting)
  bool block = false;                    ///< the hash meets the network target too
  hashcore::Digest hash{};               ///< the reference sha256d
  std::string reason;                    ///< kHardwareError / kStale: why
};

/// All devices together.
struct VerifierStats {
  uint64_t shares = 0;
  uint64_t blocks = 0;
  uint64_t hardware_errors = 0;
  uint64_t stale = 0;
  std::map<std::string, uint64_t> stale_reasons;
};

/// One device's candidates as judged: the one count of verified candidates,
/// hardware errors and shares per device (telemetry and the demo read it).
struct DeviceVerdicts {
  std::string device;
  uint64_t candidates = 0;
  uint64_t hardware_errors = 0;
  uint64_t shares = 0;  ///< handed over to be sent
  uint64_t stale = 0;   ///< good, but a clean job came first: never sent
};

struct DeviceReport {
  DeviceState state = DeviceState::kHealthy;
  double error_rate = 0;  ///< 0..1 over the policy window
  uint64_t candidates = 0;
  uint64_t hardware_errors = 0;
  std::string reason;
};

/// The Share for `nonce` of `midstate`: job id, extranonce2, ntime, nonce,
/// and the version bits inside the mask when rolling is on.
protocol::Share make_share(const Midstate& midstate, uint32_t nonce);

class Verifier {
 public:
  /// `generation` must outlive the verifier.
  explicit Verifier(const JobGeneration& generation, HealthPolicy policy = {});

  /// Verifies the candidate `nonce` that `device` found in `midstate`.
  Verification verify(const std::string& device, const Midstate& midstate, uint32_t nonce);

  /// The policy for devices from now on (config reload); records kept.
  void set_policy(HealthPolicy policy);
  /// Disables `device` for good with `reason` (the device itself failed).
  void disable_device(const std::string& device, std::string reason);

  /// The health of `device` (a healthy, empty report if it never reported).
  DeviceReport device(const std::string& device) const;
  VerifierStats stats() const;
  /// Every device that had a candidate, in name order.
  std::vector<DeviceVerdicts> verdicts() const;

 private:
  struct DeviceRecord {
    explicit DeviceRecord(HealthPolicy policy) : health(policy) {}
    DeviceHealth health;  ///< counts candidates and hardware errors
    uint64_t shares = 0;
    uint64_t stale = 0;
  };
  DeviceRecord& record_locked(const std::string& device);

  const JobGeneration& generation_;
  HealthPolicy policy_;
  mutable std::mutex mutex_;
  std::map<std::string, DeviceRecord> devices_;
  uint64_t blocks_ = 0;
  std::map<std::string, uint64_t> stale_reasons_;
};

}  // namespace synthminer::scheduler
