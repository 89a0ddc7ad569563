// response_head() against the reference it replaced: Beast's serializer of
// the same response, byte for byte, over statuses, versions, keep-alive and
// extra fields.
#include <gtest/gtest.h>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <random>
#include <sstream>

#include "http/response_head.h"

namespace synthminer::http {
namespace {

namespace bhttp = boost::beast::http;
using Fields = std::vector<std::pair<std::string, std::string>>;

// What the connection wrote before: a Beast response, set up field by field.
std::string beast_head(unsigned version, Status status, const std::string& type,
                       const Fields& extra, bool keep_alive, const std::string& body) {
  bhttp::response<bhttp::string_body> res(status, version);
  res.set(bhttp::field::server, "synthminerd");
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  for (const auto& [name, value] : extra) res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = body;
  res.prepare_payload();
  std::ostringstream out;
  out << res.base();
  return out.str();
}

TEST(ResponseHead, MatchesBeastForEveryCombination) {
  const Status statuses[] = {Status::ok,
                             Status::accepted,
                             Status::bad_request,
                             Status::unauthorized,
                             Status::not_found,
                             Status::method_not_allowed,
                             Status::payload_too_large,
                             Status::unprocessable_entity,
                             Status::too_many_requests,
                             Status::request_header_fields_too_large,
                             Status::internal_server_error,
                             Status::service_unavailable};
  const Fields extras[] = {
      {}, {{"Retry-After", "5"}}, {{"Allow", "GET, POST"}, {"Location", "/1/vgpu/jobs/j-1"}}};
  std::mt19937 rng(7);
  int checked = 0;
  for (unsigned version : {10u, 11u})
    for (Status status : statuses)
      for (const Fields& extra : extras)
        for (bool keep_alive : {true, false})
          for (const char* type : {"application/json", "application/octet-stream"}) {
            const std::string body(rng() % 3 == 0 ? 0 : rng() % 5000, 'x');
            HeadFields fields;
            fields.version = version;
            fields.status = status;
            fields.content_type = type;
            fields.extra = &extra;
            fields.keep_alive = keep_alive;
            fields.content_length = body.size();
            EXPECT_EQ(response_head(fields),
                      beast_head(version, status, type, extra, keep_alive, body))
                << "HTTP/" << version << " " << static_cast<unsigned>(status)
                << " keep_alive=" << keep_alive;
            ++checked;
          }
  EXPECT_EQ(checked, 2 * 12 * 3 * 2 * 2);
}

TEST(ResponseHead, NoContentLengthWhereTheStatusHasNoBody) {
  HeadFields fields;
  fields.status = Status::no_content;
  fields.content_type = "application/json";
  const std::string head = response_head(fields);
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  EXPECT_TRUE(status_has_no_body(Status::not_modified));
  EXPECT_TRUE(status_has_no_body(Status::continue_));
  EXPECT_FALSE(status_has_no_body(Status::ok));
}

}  // namespace
}  // namespace synthminer::http
