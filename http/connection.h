// Connection: one accepted HTTP/1.1 client of the API server. Internal to
// synthminer::http.
//
// Design: the socket and the deadline timer live on one strand; every
// member is touched only there. One request at a time: do_read_header →
// on_read_header (rate limit, route, auth, Content-Length checked before a
// body byte is read) → do_read_body → on_read_body → the handler, which
// answers through a Responder whose deliver() dispatches onto the strand →
// do_write → on_write → the next request (keep-alive) or a lingering close.
// The deadline timer bounds each phase: header_timeout for the first
// request header (a connection that sends none gives its slot back),
// keep_alive_timeout for each later one, read_timeout for a body
// (slowloris), write_timeout for a response, linger_timeout for draining;
// it is disarmed while a handler works. A handler that asks
// (Responder::hang_up_flag) has the socket read while it works: end of
// stream or a reset raises its flag and closes the connection (the answer
// has nobody to go to); bytes of a pipelined next request are kept for it.
// The timer itself is only moved
// earlier; a wait that fires before the current deadline waits again. An error answered before the
// body was read closes the connection after the response, draining the unread input first so the
// client sees the response rather than a reset.
#pragma once

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/responder.h"
#include "http/router.h"
#include "http/server.h"

namespace synthminer::http::detail {

struct ServerState;

class Connection final : public ReplyTarget, public std::enable_shared_from_this<Connection> {
 public:
  using Tcp = boost::asio::ip::tcp;

  /// `socket` must be bound to a strand executor.
  Connection(Tcp::socket socket, std::shared_ptr<ServerState> state);
  ~Connection() override;

  /// Starts serving. On the strand (or before any other use).
  void start();
  /// Answers 503 (too many connections, in all or from this address) and
  /// closes. Instead of start().
  void start_refused(Refusal why);
  /// The client's IP address ("unknown" when it could not be read).
  const std::string& remote() const { return remote_; }
  /// ReplyTarget: posts `response` onto the strand. Any thread.
  void deliver(Response response) override;
  /// ReplyTarget: starts reading for a hang-up while the handler works. On the strand.
  std::shared_ptr<const std::atomic<bool>> watch_hang_up() override;
  /// Server stop, from the strand: a connection between requests closes at
  /// once; one whose request is being answered sends that answer (with
  /// Connection: close, within write_timeout) and then closes. Any thread.
  void shut_down();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using Clock = std::chrono::steady_clock;

  void do_read_header();
  void on_read_header(const boost::system::error_code& ec);
  void do_continue();
  void on_continue(const boost::system::error_code& ec);
  void do_read_body();
  void on_read_body(const boost::system::error_code& ec);
  void call_handler();
  void reply(Response response);
  void do_write(Response response);
  void on_write(const boost::system::error_code& ec);
  void next_request();
  void on_watch(const boost::system::error_code& ec, std::size_t bytes);
  void do_linger();
  void on_linger(const boost::system::error_code& ec, std::size_t bytes);
  using TimerClock = boost::asio::steady_timer::clock_type;
  void arm_deadline(std::chrono::milliseconds timeout);
  void disarm_deadline();
  void wait_until(TimerClock::time_point at);
  void on_deadline(const boost::system::error_code& ec, std::uint64_t generation);
  void close();
  void on_shut_down();

  /// Rate limit, route, auth and announced body size; the error to answer, if any.
  std::optional<Response> check_request();
  /// Reports a refusal to the server's on_refusal, if any.
  void report(Refusal why, unsigned status);

  Tcp::socket socket_;
  boost::asio::steady_timer deadline_;
  TimerClock::time_point deadline_at_ = TimerClock::time_point::max();  ///< max: none
  std::uint64_t timer_generation_ = 0;  ///< of the latest wait on deadline_
  bool timer_waiting_ = false;          ///< a wait on deadline_ is pending
  std::shared_ptr<ServerState> state_;
  std::string remote_;  ///< client IP address, the rate limiter's key
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::string out_head_;  ///< the response being written: status line and header fields
  std::string out_body_;  ///< and its body
  bool writing_ = false;  ///< a response is being written
  const Route* route_ = nullptr;
  AccessRecord access_;           ///< of the request being answered
  Clock::time_point received_{};  ///< when its header was complete; zero before
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;            // a HEAD request: the GET route's headers, no body
  bool awaiting_reply_ = false;  ///< a request is being answered (by a check or a handler)
  bool closed_ = false;
  bool stopping_ = false;           ///< the server is stopping: answer what is in hand, then close
  bool reading_header_ = false;     ///< the deadline bounds the wait for a header
  std::size_t requests_ = 0;        ///< request headers received on this connection
  std::optional<Refusal> refusal_;  ///< set when the answer being sent refuses the client
  std::shared_ptr<std::atomic<bool>> hung_up_;  ///< the request's hang-up flag, once asked for
  bool watching_ = false;                       ///< a read watches for a hang-up
  bool next_after_watch_ = false;               ///< the next request waits for that read to end
  std::array<char, 4096> drain_{};
  std::size_t drained_ = 0;
};

}  // namespace synthminer::http::detail
