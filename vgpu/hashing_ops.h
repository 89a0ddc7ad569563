// The `hashing` workload: SHA-256 and sha256d of data, and a sha256d nonce
// scan through hashcore's dispatch table (the fastest backend that passed
// its start-up self-test).
//
// Digest payload: {"operation": "sha256" | "sha256d",
//                  "data": "utf-8 text"  OR  "data_hex": "00ff..."}
//   Result: {"value": "<64 hex digits, digest bytes in order>", "bytes": n}
// Scan payload:   {"operation": "scan",
//                  "header_hex": "<160 hex digits: the 80-byte header; its nonce is ignored>",
//                  "nonce_start": s (default 0), "nonce_count": k (1..limit),
//                  "target_hex": "<64 hex digits, big-endian as Bitcoin prints targets>"}
//   Result: {"hashes": k, "nonces": [...], "hashes_hex": [...] (each found nonce's
//            sha256d, big-endian as Bitcoin prints it), "backend": "shani"}
#pragma once

#include <nlohmann/json.hpp>

#include "hashcore/backend.h"
#include "vgpu/payload/op_result.h"
#include "vgpu/payload/payload_limits.h"

namespace jarvis {

/// Runs one hashing payload; `backend` is the scan backend (the caller's
/// dispatch choice; must be supported by this CPU); `sha` an optional
/// self-tested one-lane backend (SHA-NI) for sha256/sha256d of data.
/// Never throws.
OpResult run_hashing(const nlohmann::json& payload, const PayloadLimits& limits,
                     const synthminer::hashcore::Backend& backend,
                     const synthminer::hashcore::Backend* sha = nullptr);

}  // namespace jarvis
