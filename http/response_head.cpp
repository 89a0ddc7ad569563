#include "http/response_head.h"

#include <boost/beast/http/status.hpp>

namespace synthminer::http {

bool status_has_no_body(Status status) {
  const auto code = static_cast<unsigned>(status);
  return code < 200 || status == Status::no_content || status == Status::not_modified;
}

std::string response_head(const HeadFields& fields) {
  const auto reason = boost::beast::http::obsolete_reason(fields.status);
  std::string head;
  head.reserve(160 + fields.content_type.size());
  head += fields.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(static_cast<unsigned>(fields.status));
  head += ' ';
  head.append(reason.data(), reason.size());
  head += "\r\nServer: synthminerd\r\nContent-Type: ";
  head += fields.content_type;
  head += "\r\nCache-Control: no-store\r\n";
  if (fields.extra) {
    for (const auto& [name, value] : *fields.extra) {
      head += name;
      head += ": ";
      head += value;
      head += "\r\n";
    }
  }
  // HTTP/1.1 keeps a connection unless told; HTTP/1.0 closes unless told.
  if (fields.version >= 11 && !fields.keep_alive) head += "Connection: close\r\n";
  if (fields.version < 11 && fields.keep_alive) head += "Connection: keep-alive\r\n";
  if (!status_has_no_body(fields.status)) {
    head += "Content-Length: ";
    head += std::to_string(fields.content_length);
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

}  // namespace synthminer::http
