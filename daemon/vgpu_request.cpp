#include "daemon/vgpu_request.h"

#include <optional>

#include "common/json_depth.h"

namespace synthminer::daemon {
namespace {

using nlohmann::json;

struct SubmitRequest {
  std::string kind;
  std::string signature;
  json payload;
};

// {"kind": "...", "signature": "...", "payload": {...}}: the request, or
// an error naming the field.
std::optional<SubmitRequest> parse_submit(const std::string& body, std::string& error) {
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
  return SubmitRequest{doc["kind"].get<std::string>(), doc.value("signature", ""),
                       std::move(doc["payload"])};
}

}  // namespace

VgpuAnswer answer_vgpu_submit(jarvis::Jarvis5090X& jarvis, const std::string& body) {
  VgpuAnswer answer;
  std::string error;
  const auto parsed = parse_submit(body, error);
  if (!parsed) {
    answer.status = http::Status::bad_request;
    answer.body = json{{"error", std::move(error)}};
    answer.refusal = "bad_request";
    return answer;
  }
  const jarvis::SubmitResult result =
      jarvis.submit(parsed->kind, parsed->signature, parsed->payload);
  answer.body = result.to_json();
  if (result.ok) {
    answer.kind = parsed->kind;
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

}  // namespace synthminer::daemon
