#include "tests/fake_node/http_session.h"

namespace synthminer::fake_node {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

// A block for submitblock is up to 4 MB, twice that in hex.
constexpr uint64_t kMaxBody = 16 * 1024 * 1024;

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, RpcHandler& handler)
    : stream_(std::move(socket)), handler_(handler), timer_(stream_.get_executor()) {}

void HttpSession::release() {
  if (held_) timer_.cancel();
}

void HttpSession::close() {
  closed_ = true;
  timer_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void HttpSession::do_read() {
  parser_.emplace();
  parser_->body_limit(kMaxBody);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(const boost::system::error_code& ec, size_t) {
  if (ec || closed_) return;  // end_of_stream included: the client is done
  const auto& request = parser_->get();
  keep_alive_ = request.keep_alive();
  HttpAnswer answer =
      handler_.handle(std::string(request[http::field::authorization]), request.body());
  if (answer.hold) {
    hold(answer);
  } else {
    send(std::move(answer));
  }
}

void HttpSession::hold(const HttpAnswer& answer) {
  held_ = true;
  held_id_ = answer.id;
  handler_.on_hold(+1);
  timer_.expires_after(*answer.hold);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
    self->on_hold_end();  // released (cancelled) or timed out: the same answer
  });
}

void HttpSession::on_hold_end() {
  held_ = false;
  if (closed_) return;
  handler_.on_hold(-1);
  send(handler_.release(held_id_));
}

void HttpSession::send(HttpAnswer answer) {
  if (answer.delay.count() <= 0) {
    do_write(answer);
    return;
  }
  timer_.expires_after(answer.delay);
  timer_.async_wait(
      [self = shared_from_this(), answer = std::move(answer)](const boost::system::error_code& ec) {
        if (!ec && !self->closed_) self->do_write(answer);
      });
}

void HttpSession::do_write(const HttpAnswer& answer) {
  response_ = {};
  response_.version(11);
  response_.result(answer.status);
  response_.set(http::field::server, "fake-bitcoind");
  if (answer.unauthorized) {
    response_.set(http::field::www_authenticate, "Basic realm=\"jsonrpc\"");
  } else {
    response_.set(http::field::content_type, "application/json");
  }
  response_.body() = answer.body;
  response_.keep_alive(keep_alive_);
  response_.prepare_payload();
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
}

void HttpSession::on_write(const boost::system::error_code& ec, size_t) {
  if (ec || closed_) return;
  if (!keep_alive_) {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    return;
  }
  do_read();
}

}  // namespace synthminer::fake_node
