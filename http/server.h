// Server: the daemon's JSON-over-HTTP/1.1 API listener (Boost.Beast).
//
// Design: runs on the io_context the daemon hands it, whose one thread owns
// all sockets; nothing here blocks that thread. The acceptor and Server's own
// members are touched only from that thread. Each accepted socket becomes a
// Connection (connection.h) on its own strand with its own deadline timer;
// connections share the read-mostly ServerState (options, routes, token,
// rate limiter, the registry stop() closes) through a shared_ptr, so a
// connection may outlive the Server that accepted it until it closes. A
// request passes, in order: header size limit (431), per-IP rate limit
// (429 + Retry-After), route lookup (404, or 405 + Allow), bearer token
// (401/403), body limit (413), JSON body (400), then the route's handler.
// Every error is {"error": "<reason>"}; the token and the Authorization
// header are never echoed.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/rate_limiter.h"
#include "http/refusal.h"
#include "http/result.h"
#include "http/router.h"

namespace synthminer::http {

namespace detail {
struct ServerState;
}

/// One answered request, for an access log or request metrics. Never holds
/// header values (so never the token).
struct AccessRecord {
  Verb method = Verb::unknown;  ///< unknown when the request line was unreadable
  /// Without the query; control characters replaced, cut at 200 bytes.
  std::string path;
  unsigned status = 0;                            ///< the HTTP status sent
  std::string remote_address;                     ///< client IP address
  std::chrono::steady_clock::duration elapsed{};  ///< header received to response queued
};

struct ServerOptions {
  /// An IP literal or "localhost"; other names are resolved once, at start.
  std::string host = "127.0.0.1";
  uint16_t port = 4048;              ///< 0 picks a free port (tests)
  std::optional<std::string> token;  ///< bearer token; unset or "" means none
  /// The demo's choice: while no token is set, every request on a loopback
  /// listener, POST included, is served without one (so the README's
  /// examples run as written). Ignored beyond loopback.
  bool open_loopback = false;
  std::size_t header_limit_bytes = 8 * 1024;  ///< request line + header fields; larger gets 431
  std::size_t max_connections = 64;           ///< more are answered 503 and closed
  /// Connections one client address may hold at once; more are answered
  /// 503 and closed, so one client cannot take every slot.
  std::size_t max_connections_per_address = 8;
  /// From accept to a complete first request header; a connection that
  /// has not sent one by then is dropped (it holds a slot for nothing).
  std::chrono::milliseconds header_timeout{5'000};
  /// Between requests on a kept-alive connection, to the next complete header.
  std::chrono::milliseconds keep_alive_timeout{10'000};
  /// To receive a request's body once its header is in.
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};  ///< to send one response
  std::chrono::milliseconds linger_timeout{1'000};  ///< draining unread input before closing
  RateLimit rate_limit;                             ///< per client IP address
  /// Called on the io thread as each response is queued (errors included,
  /// the 503 for too many connections too); must be quick. May be empty.
  std::function<void(const AccessRecord&)> on_response;
  /// Called on the io thread for each refused request or connection (the
  /// refused answers above, and connections dropped at header_timeout);
  /// must be quick. May be empty.
  std::function<void(const RefusalRecord&)> on_refusal;
};

class Server {
 public:
  using Tcp = boost::asio::ip::tcp;

  /// `router` is fixed from here on. Nothing is opened until start().
  Server(boost::asio::io_context& io, ServerOptions options, Router router);
  /// Calls stop(); so destroy it on the io thread, or once that has stopped.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds host:port and starts accepting. Returns the bound endpoint (the
  /// real port when port was 0), or an error naming the address and the
  /// reason (address in use, host not resolvable, a listener beyond loopback
  /// without a token). Call from the io thread or before it runs; after a
  /// failure it may be called again (a port that was taken may be free
  /// now); a stopped server is not started again (make a new one).
  Result<Tcp::endpoint> start();

  /// Stops accepting and closes every connection: one between requests at
  /// once; one whose request is being handled or answered after sending
  /// that answer (Connection: close), or after write_timeout if the handler
  /// has not answered by then (a later answer is dropped quietly).
  /// Idempotent. Call from the io thread; keep running it until the
  /// connections have closed (at most write_timeout + linger_timeout).
  void stop();

  /// Replaces the bearer token for every request from now on (config
  /// reload); nullopt or "" means none, so token-protected requests get 403.
  /// Any thread.
  void set_token(std::optional<std::string> token);

  /// Connections currently open. Any thread.
  std::size_t connections() const;

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, Tcp::socket socket);

  boost::asio::io_context& io_;
  std::shared_ptr<detail::ServerState> state_;
  Tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_;  ///< backs off after accept errors (EMFILE …)
  bool stopped_ = false;
};

}  // namespace synthminer::http
