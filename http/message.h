// What a route handler sees (Request) and what it answers (Response). The
// API speaks JSON: every error is {"error": "<reason>"}, and every body is a
// JSON document except the few a route sends raw (a .npy tensor).
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace synthminer::http {

using Status = boost::beast::http::status;
using Verb = boost::beast::http::verb;

/// One request that passed every check (rate limit, route, auth, body limit,
/// JSON). Owned by the handler: it may move it to another thread.
struct Request {
  Verb method = Verb::get;
  std::string path;            ///< the target before '?', e.g. "/1/summary"
  std::string query;           ///< the target after '?', without it; "" if none
  std::string body;            ///< raw body bytes (at most the route's body limit)
  nlohmann::json json;         ///< the parsed body for JSON routes; null when the body is empty
  std::string remote_address;  ///< the client's IP address, e.g. "127.0.0.1"
};

/// An answer. The body is sent as application/json, unless `content_type`
/// is set: then `raw_body` is sent as is (e.g. a .npy tensor). `headers` are
/// extra header fields (e.g. Retry-After) and must not repeat Content-Type.
struct Response {
  Status status = Status::ok;
  nlohmann::json body = nlohmann::json::object();
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  ///< empty: JSON `body`; else the type of `raw_body`
  std::string raw_body;

  /// `bytes` sent as `type`, e.g. ("application/octet-stream", npy bytes).
  static Response raw(std::string type, std::string bytes, Status status = Status::ok) {
    Response r;
    r.status = status;
    r.content_type = std::move(type);
    r.raw_body = std::move(bytes);
    return r;
  }

  /// {"error": reason} with `status`.
  static Response error(Status status, std::string reason) {
    Response r;
    r.status = status;
    r.body = nlohmann::json{{"error", std::move(reason)}};
    return r;
  }
};

}  // namespace synthminer::http
