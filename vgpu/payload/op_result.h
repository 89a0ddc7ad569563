// The outcome of one workload: a result or an error that names the payload
// field and the reason. Errors are values; nothing throws out of the API.
// A refusal because the answer would be too large is told apart (the API
// answers it with 413, a bad payload with 422), and so is a fault of ours
// (an exception or out of memory inside a workload: 500).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace jarvis {

/// Why a workload failed: a bad payload, a result over the size limit, a
/// fault of ours while running it (the message is for the log, not the
/// client), or a stop while it ran (stop_token.h): its job was cancelled,
/// its deadline passed, the daemon is shutting down, or a reload preempted it.
enum class OpError : uint8_t {
  kInvalid,
  kResultTooLarge,
  kInternal,
  kCancelled,
  kDeadlinePassed,
  kShutdown,
  kPreempted
};

struct OpResult {
  bool ok = false;
  std::string error;                       ///< when !ok: "matrix[2]: row has 3 entries, expected 4"
  OpError error_kind = OpError::kInvalid;  ///< when !ok
  nlohmann::json result;                   ///< when ok: the workload's result object
  uint64_t flops = 0;          ///< floating-point operations executed (see docs/VGPU.md)
  uint64_t flops_avoided = 0;  ///< dense FLOPs a low-rank basis made unnecessary
  uint64_t hashes = 0;         ///< SHA-256 compressions or sha256d nonces done (hashing only)
  /// Seconds in the numeric work itself, without reading the payload or
  /// writing the result (linalg sets it); < 0: not measured. The cluster
  /// learns a device's throughput from it, so parsing JSON does not count
  /// as that device's slowness.
  double compute_seconds = -1.0;

  static OpResult failure(std::string message) {
    OpResult r;
    r.error = std::move(message);
    return r;
  }
  /// A refusal of a result over PayloadLimits::max_result_elements, before any work.
  static OpResult too_large(std::string message) {
    OpResult r = failure(std::move(message));
    r.error_kind = OpError::kResultTooLarge;
    return r;
  }
  /// A fault of ours (an exception, out of memory); `message` is for the log.
  static OpResult internal(std::string message) {
    OpResult r = failure(std::move(message));
    r.error_kind = OpError::kInternal;
    return r;
  }
  static OpResult success(nlohmann::json value, uint64_t flops_done = 0) {
    OpResult r;
    r.ok = true;
    r.result = std::move(value);
    r.flops = flops_done;
    return r;
  }
};

}  // namespace jarvis
