#include "solo/rpc_connection.h"

#include "common/printable.h"

namespace synthminer::solo {

using boost::system::error_code;

RpcConnection::RpcConnection(asio::io_context& io, const RpcEndpoint& endpoint)
    : io_(io),
      endpoint_(endpoint),
      where_(common::printable(endpoint.host, 100) + ":" + std::to_string(endpoint.port)),
      resolver_(io),
      tcp_(io) {}

RpcConnection::~RpcConnection() {
  close();
}

void RpcConnection::close() {
  if (closed_) return;
  closed_ = true;
  usable_ = false;
  resolver_.cancel();
  error_code ignored;
  socket().shutdown(Tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
}

RpcError RpcConnection::transport(const std::string& what) const {
  return RpcError{RpcErrorKind::kTransport, 0, what};
}

// ---- connect ----

void RpcConnection::connect(Connected done) {
  if (endpoint_.tls.enabled) {
    auto ctx = stratum::make_tls_client_context(endpoint_.tls);
    std::optional<RpcError> error;
    if (ctx) {
      ssl_ctx_ = std::move(ctx).value();
      tls_ = std::make_unique<stratum::TlsStream>(io_, *ssl_ctx_);
      auto ready =
          stratum::prepare_tls_client(*tls_, endpoint_.tls, endpoint_.host, &verify_error_);
      if (!ready) error = transport(ready.error());
    } else {
      error = transport(ctx.error());
    }
    if (error) {
      close();
      asio::post(io_, [done = std::move(done), error] { done(error); });
      return;
    }
  }
  resolver_.async_resolve(endpoint_.host, std::to_string(endpoint_.port),
                          [self = shared_from_this(), done = std::move(done)](
                              const error_code& ec, const Tcp::resolver::results_type& r) mutable {
                            self->on_resolve(ec, r, std::move(done));
                          });
}

void RpcConnection::on_resolve(const error_code& ec, const Tcp::resolver::results_type& results,
                               Connected done) {
  if (closed_) return;
  if (ec) {
    close();
    return done(transport("resolve " + where_ + ": " + ec.message()));
  }
  asio::async_connect(socket(), results,
                      [self = shared_from_this(), done = std::move(done)](
                          const error_code& cec, const Tcp::endpoint&) mutable {
                        self->on_connect(cec, std::move(done));
                      });
}

void RpcConnection::on_connect(const error_code& ec, Connected done) {
  if (closed_) return;
  if (ec) {
    close();
    return done(transport("connect to " + where_ + ": " + ec.message()));
  }
  error_code ignored;
  socket().set_option(Tcp::no_delay(true), ignored);
  if (!tls_) {
    usable_ = true;
    return done(std::nullopt);
  }
  tls_->async_handshake(
      asio::ssl::stream_base::client,
      [self = shared_from_this(), done = std::move(done)](const error_code& hec) mutable {
        self->on_handshake(hec, std::move(done));
      });
}

void RpcConnection::on_handshake(const error_code& ec, Connected done) {
  if (closed_) return;
  if (ec) {
    close();
    const std::string why = verify_error_.empty() ? ec.message() : verify_error_;
    return done(transport("TLS handshake with " + where_ + ": " + why));
  }
  const std::string mismatch = stratum::tls_pin_mismatch(*tls_, endpoint_.tls, "node");
  if (!mismatch.empty()) {
    close();
    return done(transport(where_ + ": " + mismatch));
  }
  usable_ = true;
  done(std::nullopt);
}

// ---- one request, one answer ----

void RpcConnection::exchange(Request request, size_t body_limit, Answered done) {
  request_ = std::move(request);
  body_limit_ = body_limit;
  parser_.emplace();
  parser_->body_limit(body_limit);
  parser_->header_limit(kMaxHeaderBytes);
  auto handler = [self = shared_from_this(), done = std::move(done)](
                     const error_code& ec, size_t) mutable { self->on_write(ec, std::move(done)); };
  if (tls_) {
    http::async_write(*tls_, request_, std::move(handler));
  } else {
    http::async_write(tcp_, request_, std::move(handler));
  }
}

void RpcConnection::on_write(const error_code& ec, Answered done) {
  if (closed_) return;
  if (ec) {
    close();
    return done(transport("write to " + where_ + ": " + ec.message()));
  }
  do_read(std::move(done));
}

// The header first: Beast 1.74 loses the body_limit error of a response
// whose Content-Length is over the limit when it parses eagerly (as
// http::async_read does), so that length is judged here, before any body.
void RpcConnection::do_read(Answered done) {
  auto handler = [self = shared_from_this(), done = std::move(done)](const error_code& ec,
                                                                     size_t) mutable {
    self->on_header(ec, std::move(done));
  };
  if (tls_) {
    http::async_read_header(*tls_, buffer_, *parser_, std::move(handler));
  } else {
    http::async_read_header(tcp_, buffer_, *parser_, std::move(handler));
  }
}

void RpcConnection::on_header(const error_code& ec, Answered done) {
  if (closed_) return;
  const auto length = ec ? boost::none : parser_->content_length();
  if (ec || (length && *length > body_limit_)) {
    const RpcError error = read_error(ec ? ec : make_error_code(http::error::body_limit));
    close();
    return done(error);
  }
  do_read_body(std::move(done));
}

void RpcConnection::do_read_body(Answered done) {
  auto handler = [self = shared_from_this(), done = std::move(done)](
                     const error_code& ec, size_t) mutable { self->on_read(ec, std::move(done)); };
  if (tls_) {
    http::async_read(*tls_, buffer_, *parser_, std::move(handler));
  } else {
    http::async_read(tcp_, buffer_, *parser_, std::move(handler));
  }
}

void RpcConnection::on_read(const error_code& ec, Answered done) {
  if (closed_) return;
  if (ec) {
    const RpcError error = read_error(ec);
    close();
    return done(error);
  }
  ++exchanges_;
  usable_ = parser_->keep_alive();
  Response response = parser_->release();
  if (!usable_) close();
  done(std::move(response));
}

RpcError RpcConnection::read_error(const error_code& ec) const {
  if (ec == http::error::body_limit) {
    return RpcError{RpcErrorKind::kMalformed, 0,
                    "the node's answer is over " + std::to_string(body_limit_) + " bytes"};
  }
  if (ec == http::error::header_limit) {
    return RpcError{RpcErrorKind::kMalformed, 0,
                    "the node's HTTP header is over " + std::to_string(kMaxHeaderBytes) + " bytes"};
  }
  const bool closed = ec == http::error::end_of_stream || ec == http::error::partial_message ||
                      ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
                      ec == asio::error::connection_reset;
  if (closed) {
    return transport(where_ + " closed the connection " +
                     (answer_started() ? "in the middle of its answer" : "before answering") +
                     " (" + ec.message() + ")");
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return RpcError{RpcErrorKind::kMalformed, 0,
                    "the node's answer is not valid HTTP (" + ec.message() + ")"};
  }
  return transport("read from " + where_ + ": " + ec.message());
}

}  // namespace synthminer::solo
