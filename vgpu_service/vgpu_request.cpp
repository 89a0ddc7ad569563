#include "vgpu_service/vgpu_request.h"

#include <optional>

#include "common/json_depth.h"

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

// {"kind": "...", "signature": "...", "payload": {...}}: the request, or
// an error naming the field.
std::optional<VgpuRequest> parse_submit(const std::string& body, std::string& error) {
  if (!common::json_depth_within(body)) {
    error = "body: " + common::json_too_deep_error();
    return std::nullopt;
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    error = "body: not valid JSON";
    return std::nullopt;
  }
  if (!doc.is_object()) {
    error = "body: expected an object {\"kind\", \"signature\", \"payload\"}";
    return std::nullopt;
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "kind" && key != "signature" && key != "payload") {
      error = key + ": unknown field (expected kind, signature, payload)";
      return std::nullopt;
    }
  }
  if (!doc.contains("kind") || !doc["kind"].is_string()) {
    error = "kind: required, a string (linalg, hashing, quantum or generic)";
    return std::nullopt;
  }
  if (doc.contains("signature") && !doc["signature"].is_string()) {
    error = "signature: must be a string";
    return std::nullopt;
  }
  if (!doc.contains("payload") || !doc["payload"].is_object()) {
    error = "payload: required, an object";
    return std::nullopt;
  }
  return VgpuRequest{doc["kind"].get<std::string>(), doc.value("signature", ""),
                     std::move(doc["payload"])};
}

}  // namespace

std::variant<VgpuRequest, VgpuAnswer> parse_vgpu_submit(const std::string& body) {
  std::string error;
  auto parsed = parse_submit(body, error);
  if (parsed) return std::move(*parsed);
  VgpuAnswer answer;
  answer.status = http::Status::bad_request;
  answer.body = json{{"error", std::move(error)}};
  answer.refusal = "bad_request";
  return answer;
}

VgpuAnswer vgpu_answer(jarvis::SubmitResult result, const std::string& kind) {
  VgpuAnswer answer;
  answer.body = result.to_json();
  if (result.ok) {
    answer.kind = kind;
    answer.cached = result.cached;
  } else if (result.error_kind == jarvis::OpError::kResultTooLarge) {
    answer.status = http::Status::payload_too_large;
    answer.refusal = "result_too_large";
  } else {
    answer.status = http::Status::bad_request;
    answer.refusal = "bad_request";
  }
  return answer;
}

VgpuAnswer answer_vgpu_submit(jarvis::Jarvis5090X& jarvis, const std::string& body) {
  auto parsed = parse_vgpu_submit(body);
  if (auto* refused = std::get_if<VgpuAnswer>(&parsed)) return std::move(*refused);
  const auto& request = std::get<VgpuRequest>(parsed);
  return vgpu_answer(jarvis.submit(request.kind, request.signature, request.payload), request.kind);
}

}  // namespace synthminer::vgpu_service
