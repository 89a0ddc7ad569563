// Refusal: why the API server turned a client away, for counters and a
// throttled log line (the daemon's ApiRefusals). Internal reasons only:
// the client's text travels in the record, never in the kind.
#pragma once

#include <string>

namespace synthminer::http {

enum class Refusal {
  kConnectionsFull,  ///< max_connections reached (503)
  kAddressFull,      ///< max_connections_per_address reached for the client (503)
  kHeaderTimeout,    ///< no complete request header within header_timeout (dropped)
  kBadRequest,       ///< malformed HTTP, bad JSON, unknown path or method (400, 404, 405)
  kBadToken,         ///< missing or wrong bearer token (401, 403)
  kRateLimited,      ///< over the per-address rate limit (429)
  kBodyTooLarge,     ///< over the route's body limit (413)
  kHeaderTooLarge,   ///< over header_limit_bytes (431)
};

/// "connections_full", "bad_token" …: a metric label and a log word.
inline const char* to_string(Refusal r) {
  switch (r) {
    case Refusal::kConnectionsFull:
      return "connections_full";
    case Refusal::kAddressFull:
      return "address_full";
    case Refusal::kHeaderTimeout:
      return "header_timeout";
    case Refusal::kBadRequest:
      return "bad_request";
    case Refusal::kBadToken:
      return "bad_token";
    case Refusal::kRateLimited:
      return "rate_limited";
    case Refusal::kBodyTooLarge:
      return "body_too_large";
    case Refusal::kHeaderTooLarge:
      return "header_too_large";
  }
  return "other";
}

/// One refused request or connection.
struct RefusalRecord {
  Refusal kind = Refusal::kBadRequest;
  std::string remote_address;  ///< client IP address
  /// The request's path without the query, control characters replaced and
  /// cut at 200 bytes; "" when no request line was read.
  std::string path;
  unsigned status = 0;  ///< the HTTP status sent; 0 when dropped without an answer
};

}  // namespace synthminer::http
