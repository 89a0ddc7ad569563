#include "tests/telemetry/http_get.h"

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace synthminer::telemetry::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<HttpResponse> http_get(const std::string& host, uint16_t port,
                                     const std::string& target, std::chrono::milliseconds timeout,
                                     std::string* error, const std::string& authorization) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, host + ":" + std::to_string(port));
  request.set(http::field::connection, "close");
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  http::response<http::string_body> response;
  beast::error_code failure;
  bool done = false;

  stream.expires_after(timeout);
  const tcp::endpoint endpoint(asio::ip::make_address(host), port);
  stream.async_connect(endpoint, [&](beast::error_code ec) {
    if (ec) {
      failure = ec;
      return;
    }
    http::async_write(stream, request, [&](beast::error_code wec, size_t) {
      if (wec) {
        failure = wec;
        return;
      }
      http::async_read(stream, buffer, response, [&](beast::error_code rec, size_t) {
        failure = rec;
        done = !rec;
      });
    });
  });
  io.run();
  if (!done) {
    if (error) *error = failure ? failure.message() : "no response";
    return std::nullopt;
  }
  return HttpResponse{response.result_int(), std::string(response[http::field::content_type]),
                      std::move(response.body())};
}

uint16_t free_loopback_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace synthminer::telemetry::test
