#include "solo/rpc_types.h"

namespace synthminer::solo {

const char* to_string(RpcErrorKind kind) {
  switch (kind) {
    case RpcErrorKind::kTransport:
      return "transport";
    case RpcErrorKind::kTimeout:
      return "timeout";
    case RpcErrorKind::kUnauthorized:
      return "unauthorized";
    case RpcErrorKind::kHttpStatus:
      return "HTTP status";
    case RpcErrorKind::kRpc:
      return "RPC error";
    case RpcErrorKind::kMalformed:
      return "malformed answer";
    case RpcErrorKind::kCancelled:
      return "cancelled";
    case RpcErrorKind::kCookie:
      return "cookie file";
  }
  return "?";
}

}  // namespace synthminer::solo
