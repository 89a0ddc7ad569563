#include "vgpu_service/vgpu_request.h"

#include <new>

#include <spdlog/spdlog.h>

#include "common/json_depth.h"

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

VgpuAnswer refusal(http::Status status, const char* reason, std::string error) {
  VgpuAnswer answer;
  answer.status = status;
  answer.body = json{{"error", std::move(error)}};
  answer.refusal = reason;
  return answer;
}

// A task stopped while it ran: not a refusal, counted apart.
VgpuAnswer interrupted(http::Status status, const char* reason, std::string error) {
  VgpuAnswer answer = refusal(status, "", std::move(error));
  answer.interrupted = reason;
  return answer;
}

VgpuAnswer invalid(std::string error) {
  return refusal(http::Status::unprocessable_entity, "invalid_payload", std::move(error));
}

// {"kind": "...", "signature": "...", "payload": {...}} (and "deadline_ms"
// when `job`): the request, or the answer naming the field.
std::variant<VgpuRequest, VgpuAnswer> parse(const std::string& body, bool job) {
  if (!common::json_depth_within(body)) {
    return refusal(http::Status::payload_too_large, "too_deep",
                   "body: " + common::json_too_deep_error());
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  // The parser's own message could quote the body: name the place only.
  if (doc.is_discarded())
    return refusal(http::Status::bad_request, "not_json", "body: not valid JSON");
  const char* fields = job ? "kind, signature, payload, deadline_ms" : "kind, signature, payload";
  if (!doc.is_object()) return invalid(std::string("body: expected an object with ") + fields);
  for (const auto& [key, value] : doc.items()) {
    if (key != "kind" && key != "signature" && key != "payload" && !(job && key == "deadline_ms"))
      return invalid(key + ": unknown field (expected " + fields + ")");
  }
  if (!doc.contains("kind") || !doc["kind"].is_string())
    return invalid("kind: required, a string (linalg, hashing, quantum or generic)");
  if (doc.contains("signature") && !doc["signature"].is_string())
    return invalid("signature: must be a string");
  if (!doc.contains("payload") || !doc["payload"].is_object())
    return invalid("payload: required, an object");
  VgpuRequest request{doc["kind"].get<std::string>(), doc.value("signature", ""),
                      std::move(doc["payload"])};
  if (doc.contains("deadline_ms")) {
    const json& d = doc["deadline_ms"];
    if (!d.is_number_unsigned() || d.get<uint64_t>() < 1 || d.get<uint64_t>() > kMaxDeadlineMs) {
      return invalid("deadline_ms: must be an integer from 1 to " + std::to_string(kMaxDeadlineMs) +
                     " (milliseconds)");
    }
    request.deadline_ms = d.get<uint64_t>();
  }
  return request;
}

}  // namespace

std::variant<VgpuRequest, VgpuAnswer> parse_vgpu_submit(const std::string& body) {
  return parse(body, /*job=*/false);
}

std::variant<VgpuRequest, VgpuAnswer> parse_vgpu_job(const std::string& body) {
  return parse(body, /*job=*/true);
}

VgpuAnswer vgpu_internal_error(const std::string& kind, const char* what) {
  spdlog::error("vgpu: a {} workload failed on our side: {}", kind.empty() ? "vgpu" : kind, what);
  return refusal(http::Status::internal_server_error, "internal_error",
                 "internal error: the workload failed on the server (the daemon's log says why)");
}

VgpuAnswer vgpu_answer(jarvis::SubmitResult result, const std::string& kind) {
  VgpuAnswer answer;
  if (result.ok) {
    answer.text = result.to_text();
    answer.result_text = std::move(result.result_text);
    answer.device = std::move(result.device);
    answer.kind = kind;
    answer.cached = result.cached;
    return answer;
  }
  switch (result.error_kind) {
    case jarvis::OpError::kResultTooLarge:
      answer = refusal(http::Status::payload_too_large, "result_too_large", result.error);
      break;
    case jarvis::OpError::kInternal:
      answer = vgpu_internal_error(kind, result.error.c_str());
      break;
    case jarvis::OpError::kInvalid:
      answer = invalid(result.error);
      break;
    // Stopped while it ran: a job's state says what happened; a submit
    // (stopped only by a shutdown) gets 503.
    case jarvis::OpError::kCancelled:
      answer = interrupted(http::Status::conflict, "cancelled", result.error);
      break;
    case jarvis::OpError::kDeadlinePassed:
      answer = interrupted(http::Status::gateway_timeout, "deadline_passed", result.error);
      break;
    case jarvis::OpError::kShutdown:
      answer = interrupted(http::Status::service_unavailable, "shutdown", result.error);
      break;
    // The service runs a preempted task again; this answer is only counted.
    case jarvis::OpError::kPreempted:
      answer = interrupted(http::Status::service_unavailable, "preempted", result.error);
      break;
  }
  answer.body["ok"] = false;
  return answer;
}

VgpuAnswer answer_vgpu_submit(jarvis::Jarvis5090X& jarvis, const std::string& body) {
  try {
    auto parsed = parse_vgpu_submit(body);
    if (auto* refused = std::get_if<VgpuAnswer>(&parsed)) return std::move(*refused);
    const auto& request = std::get<VgpuRequest>(parsed);
    return vgpu_answer(
        jarvis.submit(request.kind, request.signature, request.payload, jarvis::ResultForm::kText),
        request.kind);
  } catch (const std::exception& e) {
    return vgpu_internal_error("", e.what());
  }
}

http::Response vgpu_response(VgpuAnswer answer) {
  if (!answer.text.empty())
    return http::Response::raw("application/json", std::move(answer.text), answer.status);
  http::Response response;
  response.status = answer.status;
  response.body = std::move(answer.body);
  return response;
}

}  // namespace synthminer::vgpu_service
