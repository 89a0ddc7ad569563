#include "http/connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <limits>

#include "common/json_depth.h"
#include "http/auth.h"
#include "http/response_head.h"
#include "http/server_state.h"

namespace synthminer::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

namespace {

constexpr std::size_t kMaxDrainBytes = 1 << 20;
constexpr std::size_t kKeptBodyCapacity = 64 * 1024;
constexpr std::size_t kMaxEchoedPath = 200;
constexpr std::size_t kWatchReadBytes = 4096;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view sv(beast::string_view s) {
  return {s.data(), s.size()};
}

bool is_eof(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == asio::error::bad_descriptor;
}

std::string printable_path(std::string_view path) {
  std::string out(path.substr(0, kMaxEchoedPath));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"') c = '?';
  }
  if (path.size() > kMaxEchoedPath) out += "...";
  return out;
}

}  // namespace

Connection::Connection(Tcp::socket socket, std::shared_ptr<ServerState> state)
    : socket_(std::move(socket)), deadline_(socket_.get_executor()), state_(std::move(state)) {
  error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  remote_ = ec ? "unknown" : peer.address().to_string();
}

Connection::~Connection() {
  state_->remove(this);
}

void Connection::start() {
  do_read_header();
}

void Connection::start_refused(Refusal why) {
  access_.remote_address = remote_;
  keep_alive_ = false;
  awaiting_reply_ = true;
  refusal_ = why;
  reply(Response::error(Status::service_unavailable,
                        why == Refusal::kAddressFull
                            ? "too many connections to the API from " + remote_ + " (at most " +
                                  std::to_string(state_->options.max_connections_per_address) +
                                  "); try again later"
                            : std::string("too many connections to the API; try again later")));
}

void Connection::report(Refusal why, unsigned status) {
  if (!state_->options.on_refusal) return;
  state_->options.on_refusal(RefusalRecord{why, remote_, access_.path, status});
}

void Connection::deliver(Response response) {
  // Inline when the handler answers on the strand (a cache hit); posted from a worker.
  asio::dispatch(socket_.get_executor(),
                 [self = shared_from_this(), r = std::move(response)]() mutable {
                   self->reply(std::move(r));
                 });
}

std::shared_ptr<const std::atomic<bool>> Connection::watch_hang_up() {
  if (!hung_up_) hung_up_ = std::make_shared<std::atomic<bool>>(closed_);
  // Bytes already buffered are a pipelined request: reading on would take
  // more of it, and this client has not gone.
  if (closed_ || !awaiting_reply_ || writing_ || watching_ || buffer_.size() != 0) return hung_up_;
  watching_ = true;
  socket_.async_read_some(
      buffer_.prepare(kWatchReadBytes),
      [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_watch(ec, n); });
  return hung_up_;
}

void Connection::on_watch(const error_code& ec, std::size_t bytes) {
  watching_ = false;
  buffer_.commit(bytes);  // the start of a pipelined request: do_read_header parses it
  if (closed_) return;
  if (ec && ec != asio::error::operation_aborted) {
    if (hung_up_) hung_up_->store(true);
    if (awaiting_reply_) return close();  // nobody to answer
    keep_alive_ = false;                  // the answer is being written: end after it
  }
  if (next_after_watch_) {
    next_after_watch_ = false;
    next_request();
  }
}

void Connection::shut_down() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->on_shut_down(); });
}

void Connection::on_shut_down() {
  if (closed_) return;
  stopping_ = true;
  keep_alive_ = false;
  if (writing_) return;  // on_write closes after this response
  if (!awaiting_reply_) return close();
  // A handler is working on the request: give its answer a bounded wait.
  arm_deadline(state_->options.write_timeout);
}

// ---- read a request ----

void Connection::do_read_header() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.header_limit_bytes));
  // Beast checks Content-Length against the body limit while parsing the
  // header; the route is not known yet, so check_request() does that check.
  // (Not boost::none: Boost 1.74 compares `length > none` as true.)
  parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  route_ = nullptr;
  access_ = AccessRecord{};
  received_ = Clock::time_point{};
  access_.remote_address = remote_;
  hung_up_.reset();
  refusal_.reset();
  reading_header_ = true;
  arm_deadline(requests_ == 0 ? state_->options.header_timeout
                              : state_->options.keep_alive_timeout);
  bhttp::async_read_header(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_read_header(ec); });
}

void Connection::on_read_header(const error_code& ec) {
  reading_header_ = false;
  if (closed_) return;
  if (ec == bhttp::error::header_limit) {
    keep_alive_ = false;
    awaiting_reply_ = true;
    return reply(Response::error(Status::request_header_fields_too_large,
                                 "request header is larger than " +
                                     std::to_string(state_->options.header_limit_bytes) +
                                     " bytes"));
  }
  if (is_eof(ec)) return close();
  if (ec) {
    keep_alive_ = false;
    awaiting_reply_ = true;
    return reply(Response::error(Status::bad_request, "malformed HTTP request: " + ec.message()));
  }
  const auto& req = parser_->get();
  version_ = req.version();
  access_.method = req.method();
  const std::string_view target = sv(req.target());
  access_.path = printable_path(target.substr(0, target.find('?')));
  received_ = Clock::now();
  ++requests_;
  arm_deadline(state_->options.read_timeout);  // for the body; a handler disarms it
  // Unread body bytes would be taken for the next request: an early error
  // answer closes the connection when a body is still to come.
  keep_alive_ = req.keep_alive();
  head_ = req.method() == bhttp::verb::head;
  awaiting_reply_ = true;
  if (auto error = check_request()) {
    if (!parser_->is_done()) keep_alive_ = false;
    return reply(std::move(*error));
  }
  if (parser_->is_done()) return call_handler();
  parser_->body_limit(route_->body_limit_bytes);
  if (beast::iequals(req[bhttp::field::expect], "100-continue")) return do_continue();
  // A small body usually arrived with its header: parse what is buffered
  // now, which saves a trip through the io loop before the handler runs.
  if (buffer_.size() != 0) {
    error_code put_ec;
    parser_->eager(true);
    buffer_.consume(parser_->put(buffer_.data(), put_ec));
    if (put_ec && put_ec != bhttp::error::need_more) return on_read_body(put_ec);
    if (parser_->is_done()) return call_handler();
  }
  do_read_body();
}

std::optional<Response> Connection::check_request() {
  const auto& req = parser_->get();
  const auto decision = state_->limiter.acquire(remote_, Clock::now());
  if (!decision.allowed) {
    Response r = Response::error(Status::too_many_requests,
                                 "rate limit exceeded for " + remote_ + "; retry after " +
                                     std::to_string(decision.retry_after.count()) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(decision.retry_after.count()));
    return r;
  }
  const std::string_view target = sv(req.target());
  const std::string_view path = target.substr(0, target.find('?'));
  const auto match = state_->router.find(req.method(), path);
  if (!match.route) {
    if (!match.path_known) {
      return Response::error(Status::not_found, "no such endpoint: " + printable_path(path));
    }
    Response r = Response::error(Status::method_not_allowed,
                                 "method " + printable_path(sv(req.method_string())) +
                                     " is not allowed on " + printable_path(path) +
                                     "; allowed: " + match.allow);
    r.headers.emplace_back("Allow", match.allow);
    return r;
  }
  route_ = match.route;
  // The demo's open loopback lasts only while no token is set (a reload may set one).
  const bool open_loopback = state_->options.open_loopback && !state_->has_token();
  if (needs_token(req.method(), state_->loopback_listener, route_->requires_auth, open_loopback)) {
    const auto it = req.find(bhttp::field::authorization);
    std::optional<std::string_view> authorization;
    if (it != req.end()) authorization = sv(it->value());
    if (auto denied = check_bearer(authorization, state_->token())) return denied;
  }
  if (const auto length = parser_->content_length(); length && *length > route_->body_limit_bytes) {
    return Response::error(Status::payload_too_large, "request body is " + std::to_string(*length) +
                                                          " bytes; this endpoint accepts at most " +
                                                          std::to_string(route_->body_limit_bytes) +
                                                          " bytes");
  }
  return std::nullopt;
}

void Connection::do_continue() {
  asio::async_write(
      socket_, asio::buffer(kContinue.data(), kContinue.size()),
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_continue(ec); });
}

void Connection::on_continue(const error_code& ec) {
  if (ec || closed_) return close();
  do_read_body();
}

void Connection::do_read_body() {
  bhttp::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_read_body(ec); });
}

void Connection::on_read_body(const error_code& ec) {
  if (closed_) return;
  if (ec == bhttp::error::body_limit) {
    keep_alive_ = false;
    return reply(
        Response::error(Status::payload_too_large, "request body is larger than " +
                                                       std::to_string(route_->body_limit_bytes) +
                                                       " bytes, the most this endpoint accepts"));
  }
  if (ec) return close();
  call_handler();
}

// ---- hand the request to its route ----

void Connection::call_handler() {
  if (!stopping_) disarm_deadline();  // when stopping, the answer's wait stays bounded
  auto message = parser_->release();
  Request request;
  request.method = message.method();
  const std::string_view target = sv(message.target());
  const auto q = target.find('?');
  request.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) request.query = std::string(target.substr(q + 1));
  request.body = std::move(message.body());
  request.remote_address = remote_;
  if (route_->json_body && !request.body.empty()) {
    if (!common::json_depth_within(request.body)) {
      return reply(
          Response::error(Status::bad_request, "request body: " + common::json_too_deep_error()));
    }
    try {
      request.json = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::parse_error& e) {
      return reply(Response::error(
          Status::bad_request,
          "request body is not valid JSON (error at byte " + std::to_string(e.byte) + ")"));
    } catch (const nlohmann::json::exception&) {  // out_of_range 406: 1E999
      return reply(Response::error(
          Status::bad_request, "request body is not valid JSON (a number too large for a double)"));
    }
  }
  try {
    route_->handler(std::move(request), Responder(shared_from_this()));
  } catch (...) {
    // The handler's Responder was destroyed by the unwinding and has
    // answered 500 already.
  }
}

// ---- write the response ----

void Connection::reply(Response response) {
  if (closed_ || !awaiting_reply_) return;
  awaiting_reply_ = false;
  const auto status = static_cast<unsigned>(response.status);
  if (!refusal_) {
    switch (status) {
      case 400:
      case 404:
      case 405:
        refusal_ = Refusal::kBadRequest;
        break;
      case 401:
      case 403:
        refusal_ = Refusal::kBadToken;
        break;
      case 413:
        refusal_ = Refusal::kBodyTooLarge;
        break;
      case 429:
        refusal_ = Refusal::kRateLimited;
        break;
      case 431:
        refusal_ = Refusal::kHeaderTooLarge;
        break;
      default:
        break;
    }
  }
  if (refusal_) report(*refusal_, status);
  if (state_->options.on_response) {
    access_.status = static_cast<unsigned>(response.status);
    access_.elapsed =
        received_ == Clock::time_point{} ? Clock::duration{} : Clock::now() - received_;
    state_->options.on_response(access_);
  }
  if (watching_) {
    // Ends the hang-up watch (on_watch runs with operation_aborted): the
    // socket is read again only by the next request.
    error_code ignored;
    socket_.cancel(ignored);
  }
  do_write(std::move(response));
}

void Connection::do_write(Response response) {
  const bool raw = !response.content_type.empty();
  if (raw) {
    out_body_ = std::move(response.raw_body);
  } else {
    out_body_ = response.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out_body_ += '\n';
  }
  if (status_has_no_body(response.status)) out_body_.clear();
  HeadFields head;
  head.version = version_;
  head.status = response.status;
  head.content_type = raw ? std::string_view(response.content_type) : "application/json";
  head.extra = &response.headers;
  head.keep_alive = keep_alive_;
  head.content_length = out_body_.size();  // HEAD: the length GET would send
  out_head_ = response_head(head);
  if (head_) out_body_.clear();
  writing_ = true;
  arm_deadline(state_->options.write_timeout);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_head_), asio::buffer(out_body_)};
  asio::async_write(
      socket_, buffers,
      [self = shared_from_this()](const error_code& ec, std::size_t) { self->on_write(ec); });
}

void Connection::on_write(const error_code& ec) {
  writing_ = false;
  out_head_.clear();
  // A small body's buffer serves the next response; a large one's memory goes back now.
  if (out_body_.capacity() > kKeptBodyCapacity) out_body_ = std::string();
  out_body_.clear();
  if (ec || closed_) return close();
  if (watching_) {
    next_after_watch_ = true;  // one read at a time: on_watch goes on
    return;
  }
  next_request();
}

void Connection::next_request() {
  if (!keep_alive_) return do_linger();
  do_read_header();
}

// ---- close ----

void Connection::do_linger() {
  error_code ignored;
  socket_.shutdown(Tcp::socket::shutdown_send, ignored);
  arm_deadline(state_->options.linger_timeout);
  socket_.async_read_some(
      asio::buffer(drain_),
      [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_linger(ec, n); });
}

void Connection::on_linger(const error_code& ec, std::size_t bytes) {
  drained_ += bytes;
  if (ec || closed_ || drained_ > kMaxDrainBytes) return close();
  socket_.async_read_some(
      asio::buffer(drain_),
      [self = shared_from_this()](const error_code& e, std::size_t n) { self->on_linger(e, n); });
}

void Connection::arm_deadline(std::chrono::milliseconds timeout) {
  deadline_at_ = TimerClock::now() + timeout;
  // The timer only ever moves earlier: a later deadline is noticed when the
  // armed wait fires, so a request costs no timer syscall in steady state.
  if (timer_waiting_ && deadline_.expiry() <= deadline_at_) return;
  wait_until(deadline_at_);
}

void Connection::disarm_deadline() {
  deadline_at_ = TimerClock::time_point::max();
}

void Connection::wait_until(TimerClock::time_point at) {
  deadline_.expires_at(at);  // a pending wait completes as superseded
  timer_waiting_ = true;
  deadline_.async_wait([self = shared_from_this(), generation = ++timer_generation_](
                           const error_code& ec) { self->on_deadline(ec, generation); });
}

void Connection::on_deadline(const error_code& ec, std::uint64_t generation) {
  if (generation != timer_generation_) return;  // superseded by an earlier deadline
  timer_waiting_ = false;
  if (ec || closed_) return;
  if (deadline_at_ == TimerClock::time_point::max()) return;  // disarmed: wait for the next arm
  if (deadline_at_ > TimerClock::now()) return wait_until(deadline_at_);
  // A connection that never finished a header held its slot for nothing;
  // an idle keep-alive one that sent nothing more just ends.
  if (reading_header_ && (requests_ == 0 || parser_->got_some())) {
    report(Refusal::kHeaderTimeout, 0);
  }
  close();
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  if (hung_up_ && awaiting_reply_) hung_up_->store(true);  // its answer has nowhere to go
  awaiting_reply_ = false;
  state_->remove(this);  // no longer counts against max_connections
  deadline_.cancel();
  error_code ignored;
  socket_.shutdown(Tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace synthminer::http::detail
