// The status line and header block of an API response, written as one
// string. Beast's serializer did the same work through a field container and
// a buffer-sequence walk that cost more than the rest of a small cached
// answer; tests/http/response_head_test.cpp checks this text against Beast's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace synthminer::http {

/// What the head says about its body.
struct HeadFields {
  unsigned version = 11;  ///< 10 or 11, the request's
  Status status = Status::ok;
  std::string_view content_type;
  const std::vector<std::pair<std::string, std::string>>* extra =
      nullptr;  ///< after the fixed ones
  bool keep_alive = true;
  std::size_t content_length = 0;
};

/// Whether a response with `status` carries no body and no Content-Length
/// (1xx, 204, 304: RFC 9110 §6.4.1).
bool status_has_no_body(Status status);

/// "HTTP/1.1 200 OK\r\nServer: synthminerd\r\n...\r\n\r\n": Server,
/// Content-Type, Cache-Control: no-store, the extra fields in order, the
/// Connection field the version needs for `keep_alive`, Content-Length.
std::string response_head(const HeadFields& fields);

}  // namespace synthminer::http
