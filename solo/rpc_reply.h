// JSON-RPC 1.0 as Bitcoin Core speaks it over HTTP, without the sockets: the
// request body, and an HTTP answer (status and body) judged into a result or
// an RpcError. The node answers errors with HTTP 500 or 404 and a JSON body,
// or with HTTP 200 and a non-null "error"; we accept either.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "solo/rpc_types.h"

namespace synthminer::solo {

/// Bytes an RpcError message keeps of text from the node (made printable).
inline constexpr size_t kMaxNodeTextBytes = 200;

/// {"jsonrpc":"1.0","id":id,"method":method,"params":params}.
std::string rpc_request_body(uint64_t id, const std::string& method, const nlohmann::json& params);

/// The answer to request `id`, given its HTTP status and body, except 401
/// (the caller's: it may re-read a cookie and retry). The body is checked
/// against limits.max_json_depth before it is parsed; its size was bounded
/// while it was read. Messages never quote the body.
RpcResult interpret_rpc_reply(unsigned status, std::string_view body, uint64_t id,
                              const RpcLimits& limits);

/// Text from the node on one printable line of at most about
/// kMaxNodeTextBytes bytes, escapes included.
std::string node_text(std::string_view text);

/// "0.2 s", "30 s": a timeout for a message.
std::string seconds_text(std::chrono::milliseconds timeout);

}  // namespace synthminer::solo
