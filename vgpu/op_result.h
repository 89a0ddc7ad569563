// The outcome of one workload: a result or an error that names the payload
// field and the reason. Errors are values; nothing throws out of the API.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace jarvis {

struct OpResult {
  bool ok = false;
  std::string error;           ///< when !ok: "matrix[2]: row has 3 entries, expected 4"
  nlohmann::json result;       ///< when ok: the workload's result object
  uint64_t flops = 0;          ///< floating-point operations executed (see docs/VGPU.md)
  uint64_t flops_avoided = 0;  ///< dense FLOPs a low-rank basis made unnecessary
  uint64_t hashes = 0;         ///< SHA-256 compressions or sha256d nonces done (hashing only)

  static OpResult failure(std::string message) {
    OpResult r;
    r.error = std::move(message);
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
