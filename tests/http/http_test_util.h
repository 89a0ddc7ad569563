// Helpers for the HTTP server tests: a Server running on its own io thread
// on an ephemeral loopback port, and a small Beast client whose every
// operation ends within a few seconds (so a server bug fails a test instead
// of hanging it).
#pragma once

#include <utility>

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "http/server.h"

namespace synthminer::http::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = asio::ip::tcp;

/// Options with short deadlines, so closing paths finish fast in tests.
inline ServerOptions test_options() {
  ServerOptions o;
  o.port = 0;
  o.header_timeout = std::chrono::milliseconds(3000);
  o.keep_alive_timeout = std::chrono::milliseconds(3000);
  o.read_timeout = std::chrono::milliseconds(3000);
  o.write_timeout = std::chrono::milliseconds(3000);
  o.linger_timeout = std::chrono::milliseconds(300);
  o.rate_limit.requests_per_second = 1000;
  o.rate_limit.burst = 1000;
  return o;
}

/// A Server on its own io thread.
class Harness {
 public:
  Harness(ServerOptions options, Router router)
      : guard_(asio::make_work_guard(io_)), server_(io_, std::move(options), std::move(router)) {
    auto bound = server_.start();
    if (!bound) {
      ADD_FAILURE() << bound.error().message;
    } else {
      port_ = bound->port();
    }
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Harness() {
    stop();
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  uint16_t port() const { return port_; }
  Server& server() { return server_; }
  /// Runs server.stop() on the io thread and waits for it.
  void stop() {
    std::promise<void> done;
    asio::post(io_, [&] {
      server_.stop();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  Server server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

struct Reply {
  bool ok = false;  ///< a response arrived
  std::string error;
  bhttp::response<bhttp::string_body> raw;
  unsigned status() const { return raw.result_int(); }
  nlohmann::json json() const { return nlohmann::json::parse(raw.body(), nullptr, false); }
  std::string header(bhttp::field f) const { return std::string(raw[f]); }
  std::string header(const char* name) const { return std::string(raw[name]); }
};

/// One client connection. Every call finishes within `kTimeout`.
class Client {
 public:
  static constexpr std::chrono::seconds kTimeout{5};

  explicit Client(uint16_t port, const char* host = "127.0.0.1") : stream_(io_) {
    beast::error_code ec;
    stream_.socket().connect(Tcp::endpoint(asio::ip::make_address(host), port), ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  /// Writes `req` and reads one response, concurrently (a server may answer
  /// before it has read the body).
  Reply send(bhttp::request<bhttp::string_body> req) {
    req.prepare_payload();
    const bool head = req.method() == bhttp::verb::head;
    return exchange([&](auto on_written) { bhttp::async_write(stream_, req, on_written); }, head);
  }

  /// Writes raw bytes and reads one response.
  Reply send_raw(const std::string& bytes) {
    return exchange(
        [&](auto on_written) { asio::async_write(stream_, asio::buffer(bytes), on_written); });
  }

  Reply get(const std::string& target, std::optional<std::string> token = std::nullopt) {
    return send(make(bhttp::verb::get, target, "", token));
  }
  Reply post(const std::string& target, const std::string& body,
             std::optional<std::string> token = std::nullopt) {
    return send(make(bhttp::verb::post, target, body, token));
  }

  static bhttp::request<bhttp::string_body> make(bhttp::verb verb, const std::string& target,
                                                 const std::string& body,
                                                 std::optional<std::string> token) {
    bhttp::request<bhttp::string_body> req(verb, target, 11);
    req.set(bhttp::field::host, "localhost");
    if (token) req.set(bhttp::field::authorization, "Bearer " + *token);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    return req;
  }

  /// Reads one more response (after an interim 100 Continue, say).
  Reply read() {
    return exchange([](auto) {});
  }

  /// Writes `bytes` without waiting for an answer.
  void write_raw(const std::string& bytes) {
    beast::error_code ec;
    asio::write(stream_.socket(), asio::buffer(bytes), ec);
    EXPECT_FALSE(ec) << ec.message();
  }

  /// True when the server closes the connection (EOF or reset) within the
  /// timeout; bytes it sends first are skipped.
  bool closed_by_server() {
    stream_.expires_after(kTimeout);
    std::array<char, 4096> buf{};
    beast::error_code result;
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec,
                                                                      std::size_t) {
      if (!ec) return stream_.async_read_some(asio::buffer(buf), on_read);
      result = ec;
    };
    stream_.async_read_some(asio::buffer(buf), on_read);
    io_.restart();
    io_.run();
    return result == asio::error::eof || result == asio::error::connection_reset;
  }

 private:
  /// `head`: the answer to a HEAD request, whose Content-Length has no body behind it.
  template <class StartWrite>
  Reply exchange(StartWrite start_write, bool head = false) {
    Reply reply;
    stream_.expires_after(kTimeout);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 << 20);
    parser.skip(head);
    start_write([](beast::error_code, std::size_t) {});  // failures show in the read
    bhttp::async_read(stream_, buffer_, parser, [&](beast::error_code ec, std::size_t) {
      if (ec) {
        reply.error = ec.message();
      } else {
        reply.ok = true;
      }
    });
    io_.restart();
    io_.run();
    if (reply.ok) reply.raw = parser.release();
    return reply;
  }

  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

}  // namespace synthminer::http::test
