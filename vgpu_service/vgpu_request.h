// One POST /1/vgpu/submit body, from its bytes to the answer: parsed
// ({"kind", "signature", "payload"}, nesting checked first), run through the
// Jarvis layers, and given its HTTP status. No sockets and no threads, so
// the service and the HTTP fuzz target call the same code: the service
// parses, runs through VgpuDispatch (which may finish on another thread) and
// answers with vgpu_answer; answer_vgpu_submit does all three here.
#pragma once

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "http/message.h"
#include "vgpu/jarvis.h"

namespace synthminer::vgpu_service {

struct VgpuAnswer {
  http::Status status = http::Status::ok;  ///< 200, 400 (bad request) or 413 (result too large)
  nlohmann::json body;                     ///< SubmitResult::to_json() or {"error": ...}
  /// Why it was refused, for synthminer_vgpu_refused_total: "bad_request" or
  /// "result_too_large"; empty when it ran.
  std::string refusal;
  std::string kind;     ///< the workload kind, when it ran
  bool cached = false;  ///< when it ran: answered from the cache
};

/// A submit body, parsed.
struct VgpuRequest {
  std::string kind;
  std::string signature;
  nlohmann::json payload;
};

/// Parses `body`: the request, or its 400 answer naming the field. Never throws.
std::variant<VgpuRequest, VgpuAnswer> parse_vgpu_submit(const std::string& body);

/// The HTTP answer to `result`, a submit of workload `kind`.
VgpuAnswer vgpu_answer(jarvis::SubmitResult result, const std::string& kind);

/// Parses `body` and runs it on `jarvis` (on the calling thread). Never throws.
VgpuAnswer answer_vgpu_submit(jarvis::Jarvis5090X& jarvis, const std::string& body);

}  // namespace synthminer::vgpu_service
