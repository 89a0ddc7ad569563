// One POST /1/vgpu/submit (or /1/vgpu/jobs) body, from its bytes to the
// answer: parsed ({"kind", "signature", "payload"}, plus "deadline_ms" for a
// job; nesting checked first), run through the Jarvis layers, and given its
// HTTP status. No sockets and no threads, so the service and the HTTP fuzz
// target call the same code: the service parses, runs through VgpuDispatch
// (which may finish on another thread) and answers with vgpu_answer;
// answer_vgpu_submit does all three here.
//
// Status codes: 400 a body that is not JSON, 413 a limit (nesting too deep,
// a result too large), 422 JSON that is no valid workload (the field and the
// reason), 500 a fault of ours (the details go to the log, not the client);
// for a task stopped while it ran (stop_token.h): 409 its job cancelled, 504
// its job's deadline passed, 503 the daemon shutting down.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "http/message.h"
#include "vgpu/jarvis.h"

namespace synthminer::vgpu_service {

struct VgpuAnswer {
  http::Status status = http::Status::ok;  ///< 200, 400, 409, 413, 422, 500, 503 or 504
  nlohmann::json body;                     ///< {"error": ...}; null for a success
  /// A success: SubmitResult::to_text(), the result spliced in as the cache
  /// holds it, and that result text alone.
  std::string text;
  std::string result_text;
  std::string device;  ///< a success: the device that ran it ("cache" for a hit)
  /// Why it was refused, for synthminer_vgpu_refused_total: "not_json",
  /// "too_deep", "invalid_payload", "result_too_large" or "internal_error";
  /// empty when it ran.
  std::string refusal;
  /// A task stopped while it ran: "cancelled" (409), "deadline_passed"
  /// (504), "shutdown" (503) or "preempted" (run again, never sent), for
  /// synthminer_vgpu_tasks_interrupted_total; empty otherwise.
  std::string interrupted;
  std::string kind;     ///< the workload kind, when it ran
  bool cached = false;  ///< when it ran: answered from the cache
};

/// A job's deadline when its body names none, and the longest one taken, ms.
inline constexpr uint64_t kDefaultDeadlineMs = 60'000;
inline constexpr uint64_t kMaxDeadlineMs = 3'600'000;

/// A submit or job body, parsed.
struct VgpuRequest {
  std::string kind;
  std::string signature;
  nlohmann::json payload;
  uint64_t deadline_ms = kDefaultDeadlineMs;  ///< jobs only: from creation to the latest start
};

/// Parses a submit body: the request, or its 400/413/422 answer naming the
/// field. Never throws (but for std::bad_alloc).
std::variant<VgpuRequest, VgpuAnswer> parse_vgpu_submit(const std::string& body);
/// Parses a job body: a submit body that may also hold "deadline_ms", an
/// integer in [1, kMaxDeadlineMs].
std::variant<VgpuRequest, VgpuAnswer> parse_vgpu_job(const std::string& body);

/// The HTTP answer to `result`, a submit of workload `kind`. A fault of ours
/// is logged here and answered 500 without its details.
VgpuAnswer vgpu_answer(jarvis::SubmitResult result, const std::string& kind);

/// The 500 answer to an exception caught at a task's boundary; logs `what`.
VgpuAnswer vgpu_internal_error(const std::string& kind, const char* what);

/// Parses `body` and runs it on `jarvis` (on the calling thread). Never throws.
VgpuAnswer answer_vgpu_submit(jarvis::Jarvis5090X& jarvis, const std::string& body);

/// The HTTP response for `answer`: a success's text as is, else the JSON body.
http::Response vgpu_response(VgpuAnswer answer);

}  // namespace synthminer::vgpu_service
