// Stratum v1 messages: one JSON-RPC object per line. Parsing validates every
// field (type, hex, length) and says what was wrong; building returns the
// line to send, newline included. No I/O here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/job.h"
#include "protocol/result.h"

namespace synthminer::protocol {

using nlohmann::json;

/// One parsed line.
struct Incoming {
  enum class Kind { kRequest, kNotification, kResponse };
  Kind kind = Kind::kNotification;
  json id;             ///< null for notifications
  std::string method;  ///< requests and notifications
  json params;         ///< requests and notifications (an array)
  json result;         ///< responses
  std::string error;   ///< responses: the pool's reason, in any of its shapes; "" if none
};

/// Parses one line (without its newline). A line that is not a JSON object,
/// or has neither a method nor an id, is an error.
Result<Incoming> parse_line(std::string_view line);

/// The reason in a response's "error" (array [code, "msg", ...], object
/// {"code":..,"message":..}, or string) or ckpool's "reject-reason".
/// Empty when the response carries none.
std::string error_reason(const json& response);

// ---- results and notifications from the pool ----

struct SubscribeResult {
  Extranonce extranonce;
  std::optional<std::string> session_id;  ///< the mining.notify subscription id, to resume
};
/// Nested `[[["mining.notify","id"],...], en1, n2size]` or flat
/// `[["mining.notify","id"], en1, n2size]`; extranonce1 may be empty.
Result<SubscribeResult> parse_subscribe_result(const json& result);

/// mining.notify params: [job_id, prevhash, coinb1, coinb2, [branch...],
/// version, nbits, ntime, clean_jobs].
Result<Job> parse_notify(const json& params);

/// mining.set_difficulty params: [difficulty > 0], integer or fraction.
Result<double> parse_set_difficulty(const json& params);

/// mining.set_extranonce params: [extranonce1, extranonce2_size].
Result<Extranonce> parse_set_extranonce(const json& params);

/// mining.set_version_mask params: ["1fffe000"].
Result<uint32_t> parse_set_version_mask(const json& params);

struct ConfigureResult {
  bool version_rolling = false;
  uint32_t mask = 0;  ///< bits the pool lets us roll (0 when not granted)
};
/// mining.configure result: {"version-rolling":true,"version-rolling.mask":"1fffe000"}.
Result<ConfigureResult> parse_configure_result(const json& result);

struct ReconnectRequest {
  std::string host;  ///< empty: the same host
  std::optional<uint16_t> port;
  uint32_t wait_seconds = 0;
};
/// client.reconnect params: [] or [host, port (number or string), wait].
Result<ReconnectRequest> parse_reconnect(const json& params);

// ---- requests to the pool ----

/// `{"id":id,"method":method,"params":params}\n`
std::string make_request(uint64_t id, std::string_view method, const json& params);
/// A response to a pool's request: `{"id":id,"result":result,"error":null}\n`
std::string make_response(const json& id, const json& result);

json subscribe_params(std::string_view user_agent, const std::optional<std::string>& session_id);
json authorize_params(std::string_view user, std::string_view password);
/// BIP 310 version rolling, asking for `mask`.
json configure_params(uint32_t mask);
json suggest_difficulty_params(
    double difficulty);  ///< sent as a JSON integer (ckpool ignores floats)
/// [worker, job_id, extranonce2, ntime, nonce(, version_bits)].
json submit_params(std::string_view worker, const Share& share);

}  // namespace synthminer::protocol
