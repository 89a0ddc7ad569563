// A plain Beast HTTP client for the fake node's tests: one connection,
// kept alive across calls, each call bounded by a timeout (async ops run
// on a private io_context with run_for).
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

namespace synthminer::fake_node::testing {

struct HttpReply {
  unsigned status = 0;  ///< 0: no answer in time
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

inline std::string basic_auth(const std::string& user, const std::string& password) {
  const std::string plain = user + ":" + password;
  std::string out(boost::beast::detail::base64::encoded_size(plain.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), plain.data(), plain.size()));
  return "Basic " + out;
}

class TestClient {
 public:
  /// `authorization`: the whole header value; empty sends none.
  TestClient(uint16_t port, std::string authorization)
      : port_(port), authorization_(std::move(authorization)) {}

  /// A JSON-RPC 1.0 call as bitcoin-cli makes it.
  HttpReply call(const std::string& method, nlohmann::json params = nlohmann::json::array(),
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const nlohmann::json request = {
        {"jsonrpc", "1.0"}, {"id", next_id_++}, {"method", method}, {"params", params}};
    return post(request.dump(), timeout);
  }

  HttpReply post(const std::string& body,
                 std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    namespace http = boost::beast::http;
    if (!stream_.socket().is_open())
      stream_.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    http::request<http::string_body> request{http::verb::post, "/", 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::content_type, "application/json");
    if (!authorization_.empty()) request.set(http::field::authorization, authorization_);
    request.body() = body;
    request.prepare_payload();
    HttpReply reply;
    http::response<http::string_body> response;
    stream_.expires_after(timeout);
    http::async_write(stream_, request, [&](boost::beast::error_code ec, size_t) {
      if (ec) return;
      http::async_read(stream_, buffer_, response, [&](boost::beast::error_code read_ec, size_t) {
        if (read_ec) return;
        reply.status = response.result_int();
        reply.body = response.body();
      });
    });
    io_.restart();
    io_.run_for(timeout + std::chrono::seconds(1));
    if (reply.status == 0) stream_.close();
    return reply;
  }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_{io_};
  boost::beast::flat_buffer buffer_;
  uint16_t port_;
  std::string authorization_;
  int next_id_ = 1;
};

}  // namespace synthminer::fake_node::testing
