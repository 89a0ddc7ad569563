// The values of a JSON-RPC call to Bitcoin Core: where the node is, how we
// log in, the limits on its answers, and what can go wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "common/json_depth.h"
#include "common/result.h"
#include "stratum/tls_client.h"

namespace synthminer::solo {

struct RpcEndpoint {
  std::string host;
  uint16_t port = 0;
  stratum::TlsSettings tls;  // enabled=false: plain HTTP
};

struct RpcCredentials {
  std::string user;
  std::string password;  // used when cookie_file is empty; never logged
  // Bitcoin Core's .cookie: one line "user:password"; read before each new
  // connection and again after a 401 (the node rewrites it on restart).
  std::string cookie_file;
};

struct RpcLimits {
  size_t max_response_bytes = 64 * 1024 * 1024;  // whole HTTP response body
  size_t max_json_depth = common::kMaxJsonDepth;
};

enum class RpcErrorKind {
  kTransport,
  kTimeout,
  kUnauthorized,
  kHttpStatus,
  kRpc,
  kMalformed,
  kCancelled,
  kCookie
};
/// "transport", "timeout", "unauthorized", "HTTP status", "RPC error", ...
const char* to_string(RpcErrorKind kind);

struct RpcError {
  RpcErrorKind kind = RpcErrorKind::kTransport;
  int code = 0;         // the RPC error code (kRpc) or HTTP status (kHttpStatus, kUnauthorized)
  std::string message;  // printable, at most ~256 bytes, never a secret, never the raw body
};
inline const RpcError& error_view(const RpcError& e) {
  return e;
}

using RpcResult = common::Result<nlohmann::json, RpcError>;

}  // namespace synthminer::solo
