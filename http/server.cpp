#include "http/server.h"

#include <boost/asio/strand.hpp>

#include "http/auth.h"
#include "http/connection.h"
#include "http/server_state.h"

namespace synthminer::http {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr std::chrono::milliseconds kAcceptRetry{100};

std::string address_text(const ServerOptions& o) {
  const bool v6 = o.host.find(':') != std::string::npos;
  return (v6 ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
}

Result<asio::ip::address> resolve_host(asio::io_context& io, const std::string& host) {
  if (host == "localhost") return asio::ip::address(asio::ip::address_v4::loopback());
  error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) return address;
  asio::ip::tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, "", ec);
  if (ec || results.empty()) {
    return Error{"cannot resolve API listen host '" + host +
                 "': " + (ec ? ec.message() : std::string("no address"))};
  }
  return results.begin()->endpoint().address();
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options, Router router)
    : io_(io),
      state_(std::make_shared<detail::ServerState>(std::move(options), std::move(router))),
      acceptor_(io),
      accept_retry_(io) {}

Server::~Server() {
  stop();
}

Result<Server::Tcp::endpoint> Server::start() {
  const ServerOptions& o = state_->options;
  if (auto refused = check_listen_security(o.host, o.port, o.token)) return *refused;
  const auto address = resolve_host(io_, o.host);
  if (!address) return address.error();
  state_->loopback_listener = is_loopback_host(address->to_string());
  const Tcp::endpoint endpoint(*address, o.port);
  error_code ec;
  const auto fail = [&](const char* what) {
    error_code ignored;
    acceptor_.close(ignored);
    return Error{"cannot listen for the API on " + address_text(o) + ": " + what + ": " +
                 ec.message()};
  };
  if (acceptor_.open(endpoint.protocol(), ec)) return fail("open");
  if (acceptor_.set_option(asio::socket_base::reuse_address(true), ec)) return fail("set option");
  if (acceptor_.bind(endpoint, ec)) return fail("bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec)) return fail("listen");
  const auto local = acceptor_.local_endpoint(ec);
  if (ec) return fail("local endpoint");
  do_accept();
  return local;
}

void Server::stop() {
  if (stopped_) return;
  stopped_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  for (auto& weak : state_->take_all()) {
    if (auto c = weak.lock()) c->shut_down();
  }
}

void Server::set_token(std::optional<std::string> token) {
  state_->set_token(std::move(token));
}

std::size_t Server::connections() const {
  return state_->size();
}

void Server::do_accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](const error_code& ec, Tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void Server::on_accept(const error_code& ec, Tcp::socket socket) {
  // Checked before touching `this`: the Server may be gone by now.
  if (ec == asio::error::operation_aborted) return;
  if (stopped_) return;
  if (ec) {
    // Out of descriptors and the like: retry shortly instead of spinning.
    accept_retry_.expires_after(kAcceptRetry);
    accept_retry_.async_wait([this](const error_code& e) {
      if (e == asio::error::operation_aborted) return;
      if (!stopped_) do_accept();
    });
    return;
  }
  auto connection = std::make_shared<detail::Connection>(std::move(socket), state_);
  using Admission = detail::ServerState::Admission;
  switch (state_->add(connection.get(), connection, connection->remote())) {
    case Admission::kAdded:
      connection->start();
      break;
    case Admission::kAddressFull:
      connection->start_refused(Refusal::kAddressFull);
      break;
    case Admission::kFull:
    case Admission::kStopping:
      connection->start_refused(Refusal::kConnectionsFull);
      break;
  }
  do_accept();
}

}  // namespace synthminer::http
