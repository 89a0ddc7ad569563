#include "stratum/line_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>

#include "protocol/hex.h"

namespace synthminer::stratum {

using boost::system::error_code;

Result<protocol::Hash256> parse_fingerprint(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c != ':') digits.push_back(c);
  }
  const auto bytes = protocol::from_hex(digits);
  if (!bytes || bytes->size() != 32) {
    return Error{"a SHA-256 fingerprint is 64 hex digits (colons allowed)"};
  }
  protocol::Hash256 out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

LineConnection::LineConnection(asio::io_context& io, LineEndpoint endpoint)
    : io_(io),
      endpoint_(std::move(endpoint)),
      resolver_(io),
      deadline_(io),
      tcp_(io),
      framer_(endpoint_.max_line_bytes) {}

LineConnection::~LineConnection() {
  close();
}

void LineConnection::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  if (endpoint_.tls.enabled) {
    auto ok = setup_tls();
    if (!ok) {
      // Report from the io loop, never from inside the owner's call to start().
      asio::post(io_, [self = shared_from_this(), reason = ok.error()] { self->fail(reason); });
      return;
    }
  }
  deadline_.expires_after(endpoint_.connect_timeout);
  deadline_.async_wait(
      [self = shared_from_this()](const error_code& ec) { self->on_deadline(ec); });
  do_resolve();
}

void LineConnection::send(std::string line) {
  if (closed_ || write_queue_full_) return;
  if (line.size() > endpoint_.max_write_queue_bytes - write_queue_bytes_) {
    // The pool has stopped reading: waiting longer only grows our memory.
    write_queue_full_ = true;
    const std::string reason = "write queue over " +
                               std::to_string(endpoint_.max_write_queue_bytes) +
                               " bytes: the pool is not reading";
    asio::post(io_, [self = shared_from_this(), reason] { self->fail(reason); });
    return;
  }
  write_queue_bytes_ += line.size();
  write_queue_.push_back(std::move(line));
  if (connected_ && !writing_) do_write();
}

void LineConnection::close() {
  if (closed_) return;
  closed_ = true;
  connected_ = false;
  deadline_.cancel();
  resolver_.cancel();
  error_code ignored;
  socket().shutdown(Tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
}

void LineConnection::fail(const std::string& reason) {
  if (closed_) return;
  auto self = shared_from_this();  // the owner may drop us from on_closed
  close();
  if (handlers_.on_closed) handlers_.on_closed(reason);
}

// ---- connect ----

void LineConnection::do_resolve() {
  resolver_.async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      [self = shared_from_this()](const error_code& ec, const Tcp::resolver::results_type& r) {
        self->on_resolve(ec, r);
      });
}

void LineConnection::on_resolve(const error_code& ec, const Tcp::resolver::results_type& results) {
  if (ec) return fail("resolve " + endpoint_.host + ": " + ec.message());
  if (closed_) return;
  do_connect(results);
}

void LineConnection::do_connect(const Tcp::resolver::results_type& results) {
  asio::async_connect(socket(), results,
                      [self = shared_from_this()](const error_code& ec, const Tcp::endpoint&) {
                        self->on_connect(ec);
                      });
}

void LineConnection::on_connect(const error_code& ec) {
  if (ec) return fail("connect: " + ec.message());
  if (closed_) return;
  error_code ignored;
  socket().set_option(Tcp::no_delay(true), ignored);
  socket().set_option(asio::socket_base::keep_alive(true), ignored);
#if defined(TCP_KEEPIDLE) && defined(TCP_KEEPINTVL) && defined(TCP_KEEPCNT)
  // The kernel's default waits two hours before the first probe; a dead pool
  // should be noticed within about 90 s even when it owes us nothing.
  using KeepIdle = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_KEEPIDLE>;
  using KeepInterval = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_KEEPINTVL>;
  using KeepCount = asio::detail::socket_option::integer<IPPROTO_TCP, TCP_KEEPCNT>;
  socket().set_option(KeepIdle(60), ignored);
  socket().set_option(KeepInterval(10), ignored);
  socket().set_option(KeepCount(3), ignored);
#endif
  if (tls_) return do_handshake();
  on_ready();
}

void LineConnection::do_handshake() {
  tls_->async_handshake(
      asio::ssl::stream_base::client,
      [self = shared_from_this()](const error_code& ec) { self->on_handshake(ec); });
}

void LineConnection::on_handshake(const error_code& ec) {
  if (ec) {
    const std::string why = verify_error_.empty() ? ec.message() : verify_error_;
    return fail("TLS handshake: " + why);
  }
  if (closed_) return;
  const std::string mismatch = tls_pin_mismatch(*tls_, endpoint_.tls, "pool");
  if (!mismatch.empty()) return fail(mismatch);
  on_ready();
}

void LineConnection::on_deadline(const error_code& ec) {
  if (ec) return;  // cancelled: connected, or closed
  if (closed_ || connected_) return;
  fail("connect timed out after " + std::to_string(endpoint_.connect_timeout.count()) + " ms");
}

void LineConnection::on_ready() {
  deadline_.cancel();
  connected_ = true;
  if (handlers_.on_connected) handlers_.on_connected();
  if (closed_) return;
  do_read();
  if (!writing_ && !write_queue_.empty()) do_write();
}

// ---- read and write ----

void LineConnection::do_read() {
  auto handler = [self = shared_from_this()](const error_code& ec, size_t n) {
    self->on_read(ec, n);
  };
  if (tls_) {
    tls_->async_read_some(asio::buffer(read_buffer_), std::move(handler));
  } else {
    tcp_.async_read_some(asio::buffer(read_buffer_), std::move(handler));
  }
}

void LineConnection::on_read(const error_code& ec, size_t bytes) {
  if (ec) {
    const bool eof = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
    return fail(eof ? "closed by the pool" : "read: " + ec.message());
  }
  if (closed_) return;
  lines_.clear();
  const bool ok = framer_.feed(std::string_view(read_buffer_.data(), bytes), lines_);
  // Lines completed before an over-long one are still delivered.
  for (std::string& line : lines_) {
    if (closed_) return;
    if (handlers_.on_line) handlers_.on_line(std::move(line));
  }
  if (closed_) return;
  if (!ok) {
    return fail("line longer than " + std::to_string(endpoint_.max_line_bytes) + " bytes");
  }
  do_read();
}

void LineConnection::do_write() {
  writing_ = true;
  auto handler = [self = shared_from_this()](const error_code& ec, size_t n) {
    self->on_write(ec, n);
  };
  const auto buffer = asio::buffer(write_queue_.front());
  if (tls_) {
    asio::async_write(*tls_, buffer, std::move(handler));
  } else {
    asio::async_write(tcp_, buffer, std::move(handler));
  }
}

void LineConnection::on_write(const error_code& ec, size_t /*bytes*/) {
  writing_ = false;
  if (ec) return fail("write: " + ec.message());
  if (closed_) return;
  write_queue_bytes_ -= write_queue_.front().size();
  write_queue_.pop_front();
  if (!write_queue_.empty()) do_write();
}

// ---- TLS ----

Result<bool> LineConnection::setup_tls() {
  auto ctx = make_tls_client_context(endpoint_.tls);
  if (!ctx) return Error{ctx.error()};
  ssl_ctx_ = std::move(ctx).value();
  tls_ = std::make_unique<TlsStream>(io_, *ssl_ctx_);
  return prepare_tls_client(*tls_, endpoint_.tls, endpoint_.host, &verify_error_);
}

TlsTrust LineConnection::trust() const {
  return tls_trust(endpoint_.tls);
}

}  // namespace synthminer::stratum
