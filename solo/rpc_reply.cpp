#include "solo/rpc_reply.h"

#include <cstdio>

#include "common/printable.h"

namespace synthminer::solo {
namespace {

using nlohmann::json;

RpcError malformed(const std::string& what) {
  return RpcError{RpcErrorKind::kMalformed, 0, "the node's answer " + what};
}

// Bitcoin Core's error is {"code": int, "message": string}; anything else
// non-null still is an error, shown in a bounded dump.
RpcError rpc_error(const json& error) {
  RpcError out{RpcErrorKind::kRpc, 0, ""};
  const auto code = error.is_object() ? error.find("code") : error.end();
  if (error.is_object() && code != error.end() && code->is_number_integer()) {
    const int64_t value = code->get<int64_t>();
    out.code = value < INT32_MIN || value > INT32_MAX ? 0 : static_cast<int>(value);
  }
  const auto message = error.is_object() ? error.find("message") : error.end();
  if (error.is_object() && message != error.end() && message->is_string()) {
    out.message = node_text(message->get_ref<const std::string&>());
  } else {
    out.message = node_text(error.dump(-1, ' ', true, json::error_handler_t::replace));
  }
  if (out.message.empty()) out.message = "(no message)";
  return out;
}

// The parsed body, or why it is not a JSON object we can read.
common::Result<json, RpcError> parse_body(std::string_view body, const RpcLimits& limits) {
  // nlohmann copies and dumps recursively: refuse deep nesting before it parses.
  if (!common::json_depth_within(body, limits.max_json_depth)) {
    return malformed("is " + common::json_too_deep_error(limits.max_json_depth));
  }
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return malformed("is not JSON");
  if (!parsed.is_object()) return malformed("is not a JSON object");
  return parsed;
}

bool has_error(const json& reply) {
  const auto error = reply.find("error");
  return error != reply.end() && !error->is_null();
}

}  // namespace

std::string rpc_request_body(uint64_t id, const std::string& method, const json& params) {
  const json request = {{"jsonrpc", "1.0"}, {"id", id}, {"method", method}, {"params", params}};
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

RpcResult interpret_rpc_reply(unsigned status, std::string_view body, uint64_t id,
                              const RpcLimits& limits) {
  if (status == 403) {
    return RpcError{RpcErrorKind::kHttpStatus, 403,
                    "the node refused this client (HTTP 403): is its address in rpcallowip?"};
  }
  auto parsed = parse_body(body, limits);
  if (status != 200) {
    // JSON-RPC 1.0 errors come as 500 or 404 with the JSON body.
    if (parsed && has_error(*parsed)) return rpc_error(parsed->at("error"));
    return RpcError{RpcErrorKind::kHttpStatus, static_cast<int>(status),
                    "the node answered HTTP " + std::to_string(status)};
  }
  if (!parsed) return parsed.error();
  const json& reply = *parsed;
  if (has_error(reply)) return rpc_error(reply.at("error"));
  const auto reply_id = reply.find("id");
  if (reply_id != reply.end() && !reply_id->is_null() && *reply_id != json(id)) {
    return malformed("answers another request (id " + node_text(reply_id->dump()) + ")");
  }
  const auto result = reply.find("result");
  if (result == reply.end()) return malformed("has no \"result\"");
  return std::move(parsed.value().at("result"));
}

std::string node_text(std::string_view text) {
  // Escapes take up to 4 bytes a byte: keep the longest prefix that fits.
  size_t out = 0;
  size_t kept = 0;
  for (; kept < text.size(); ++kept) {
    const auto c = static_cast<unsigned char>(text[kept]);
    const size_t width = (c >= 0x20 && c < 0x7F)                 ? 1
                         : (c == '\n' || c == '\r' || c == '\t') ? 2
                                                                 : 4;
    if (out + width > kMaxNodeTextBytes) break;
    out += width;
  }
  return common::printable(text, kept);
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(ms) / 1000.0);
  std::string text = buffer;
  text.erase(text.find_last_not_of('0') + 1);  // "0.200" -> "0.2"
  return text + " s";
}

}  // namespace synthminer::solo
