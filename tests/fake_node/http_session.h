// One connection of the fake node's HTTP server (see rpc_server.h for the
// design). Paired verbs: do_read/on_read, hold/on_hold_end, send/on_write.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <optional>

#include "tests/fake_node/rpc_server.h"

namespace synthminer::fake_node {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, RpcHandler& handler);

  void start() { do_read(); }
  /// Answers a held long poll now (io thread).
  void release();
  /// Closes the connection; nothing more is asked of the handler (io thread).
  void close();

 private:
  void do_read();
  void on_read(const boost::system::error_code& ec, size_t bytes);
  void hold(const HttpAnswer& answer);
  void on_hold_end();
  void send(HttpAnswer answer);
  void do_write(const HttpAnswer& answer);
  void on_write(const boost::system::error_code& ec, size_t bytes);

  boost::beast::tcp_stream stream_;
  RpcHandler& handler_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::asio::steady_timer timer_;  ///< the hold, then the delay
  bool keep_alive_ = true;
  bool held_ = false;
  nlohmann::json held_id_;
  bool closed_ = false;
};

}  // namespace synthminer::fake_node
