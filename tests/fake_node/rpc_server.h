// The HTTP half of FakeNode: a Beast server on 127.0.0.1 with its own io
// thread, one HttpSession per connection, keep-alive, and long polls held
// on a per-session timer until released or timed out.
//
// Design: everything below runs on the one io thread; the handler is
// called there. The only calls from other threads are the constructor,
// the destructor and release_holds(), which posts to the io thread.
// A session reads a request, asks the handler, then either writes the
// answer (after its delay) or holds: its timer runs for the hold time and
// release_holds() cancels it; either way it then asks the handler for the
// released answer and writes that.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace synthminer::fake_node {

struct HttpAnswer {
  unsigned status = 200;
  std::string body;
  bool unauthorized = false;                      ///< adds WWW-Authenticate
  std::chrono::milliseconds delay{0};             ///< before writing
  std::optional<std::chrono::milliseconds> hold;  ///< a long poll: hold, then release()
  nlohmann::json id;                              ///< the request's id, for release()
};

class RpcHandler {
 public:
  virtual ~RpcHandler() = default;
  /// The answer to one request: its Authorization header and body.
  virtual HttpAnswer handle(const std::string& authorization, const std::string& body) = 0;
  /// The answer to a long poll once released or timed out.
  virtual HttpAnswer release(const nlohmann::json& id) = 0;
  virtual void on_connection() = 0;
  /// +1 when a long poll is held, -1 when it is let go.
  virtual void on_hold(int delta) = 0;
};

class HttpSession;

class RpcServer {
 public:
  /// Listens on 127.0.0.1:0 and starts the io thread. `handler` must
  /// outlive the server.
  explicit RpcServer(RpcHandler& handler);
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  uint16_t port() const { return port_; }
  /// Lets every held long poll go (from any thread).
  void release_holds();

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);

  RpcHandler& handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::vector<std::weak_ptr<HttpSession>> sessions_;  ///< io thread only
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace synthminer::fake_node
