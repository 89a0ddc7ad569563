// One POST /1/vgpu/submit body, from its bytes to the answer: parsed
// ({"kind", "signature", "payload"}, nesting checked first), run through the
// Jarvis layers, and given its HTTP status. No sockets and no threads, so
// the service's worker and the HTTP fuzz target call the same code.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "http/message.h"
#include "vgpu/jarvis.h"

namespace synthminer::daemon {

struct VgpuAnswer {
  http::Status status = http::Status::ok;  ///< 200, 400 (bad request) or 413 (result too large)
  nlohmann::json body;                     ///< SubmitResult::to_json() or {"error": ...}
  /// Why it was refused, for synthminer_vgpu_refused_total: "bad_request" or
  /// "result_too_large"; empty when it ran.
  std::string refusal;
  std::string kind;     ///< the workload kind, when it ran
  bool cached = false;  ///< when it ran: answered from the cache
};

/// Parses `body` and runs it on `jarvis` (on the calling thread). Never throws.
VgpuAnswer answer_vgpu_submit(jarvis::Jarvis5090X& jarvis, const std::string& body);

}  // namespace synthminer::daemon
