#include "solo/rpc_client.h"

#include <spdlog/spdlog.h>

#include "common/printable.h"
#include "solo/rpc_auth.h"
#include "solo/rpc_reply.h"

namespace synthminer::solo {

using boost::system::error_code;

RpcClient::RpcClient(asio::io_context& io, RpcEndpoint endpoint, RpcCredentials credentials,
                     RpcLimits limits)
    : io_(io),
      endpoint_(std::move(endpoint)),
      credentials_(std::move(credentials)),
      limits_(limits),
      deadline_(io) {
  if (credentials_.cookie_file.empty()) {
    authorization_ = basic_authorization({credentials_.user, credentials_.password});
  }
}

RpcClient::~RpcClient() {
  if (connection_) connection_->close();
}

uint64_t RpcClient::connections_opened() const {
  return connections_opened_;
}

void RpcClient::call(std::string method, nlohmann::json params, std::chrono::milliseconds timeout,
                     Done done) {
  queue_.push_back(
      Call{next_id_++, std::move(method), std::move(params), timeout, std::move(done)});
  if (!current_) schedule_next();
}

void RpcClient::cancel() {
  drop_connection();
  if (current_) finish(RpcError{RpcErrorKind::kCancelled, 0, "cancelled"});
  for (Call& call : queue_) {
    asio::post(io_, [done = std::move(call.done)] {
      done(RpcError{RpcErrorKind::kCancelled, 0, "cancelled before it started"});
    });
  }
  queue_.clear();
}

// ---- one call after another ----

void RpcClient::schedule_next() {
  if (next_scheduled_) return;
  next_scheduled_ = true;
  // Posted: call() never runs a handler inline, and finish() does not recurse.
  asio::post(io_, [self = shared_from_this()] { self->start_next(); });
}

void RpcClient::start_next() {
  next_scheduled_ = false;
  if (current_ || queue_.empty()) return;
  current_ = std::move(queue_.front());
  queue_.pop_front();
  deadline_.expires_after(current_->timeout);
  deadline_.async_wait([self = shared_from_this(), id = current_->id](const error_code& ec) {
    self->on_deadline(id, ec);
  });
  begin_attempt();
}

void RpcClient::on_deadline(uint64_t id, const error_code& ec) {
  if (ec || !current(id)) return;  // cancelled: the call ended first
  // The node may still answer on this connection: it cannot carry the next call.
  drop_connection();
  finish(RpcError{RpcErrorKind::kTimeout, 0,
                  "no answer from the node at " + common::printable(endpoint_.host, 100) + ":" +
                      std::to_string(endpoint_.port) + " within " +
                      seconds_text(current_->timeout)});
}

void RpcClient::finish(RpcResult result) {
  deadline_.cancel();
  Done done = std::move(current_->done);
  current_.reset();
  asio::post(io_, [done = std::move(done), result = std::move(result)]() mutable {
    done(std::move(result));
  });
  if (!queue_.empty()) schedule_next();
}

void RpcClient::drop_connection() {
  if (connection_) connection_->close();
  connection_.reset();
}

// ---- an attempt: a connection, then the exchange ----

void RpcClient::begin_attempt() {
  if (connection_ && connection_->usable()) return do_exchange();
  drop_connection();
  // The node rewrites its cookie when it restarts, which also ends connections.
  if (!credentials_.cookie_file.empty() && !load_cookie()) return;
  connection_ = std::make_shared<RpcConnection>(io_, endpoint_);
  connection_->connect([self = shared_from_this(), id = current_->id](std::optional<RpcError> e) {
    self->on_connected(id, std::move(e));
  });
}

bool RpcClient::load_cookie() {
  auto login = read_cookie(credentials_.cookie_file);
  if (!login) {
    finish(login.error());
    return false;
  }
  authorization_ = basic_authorization(*login);
  return true;
}

void RpcClient::on_connected(uint64_t id, std::optional<RpcError> error) {
  if (!current(id)) return;
  if (error) {
    drop_connection();
    return finish(std::move(*error));
  }
  ++connections_opened_;
  spdlog::debug("node RPC: connected to {}:{} ({})", common::printable(endpoint_.host, 100),
                endpoint_.port, stratum::to_string(stratum::tls_trust(endpoint_.tls)));
  do_exchange();
}

void RpcClient::do_exchange() {
  RpcConnection::Request request{http::verb::post, "/", 11};
  // An IPv6 literal is bracketed in a Host header (RFC 7230, 5.4).
  const bool ipv6 = endpoint_.host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + endpoint_.host + "]" : endpoint_.host;
  request.set(http::field::host, host + ":" + std::to_string(endpoint_.port));
  request.set(http::field::content_type, "application/json");
  request.set(http::field::authorization, authorization_);
  request.keep_alive(true);
  request.body() = rpc_request_body(current_->id, current_->method, current_->params);
  request.prepare_payload();
  connection_->exchange(std::move(request), limits_.max_response_bytes,
                        [self = shared_from_this(), id = current_->id](
                            common::Result<RpcConnection::Response, RpcError> answer) {
                          self->on_answer(id, std::move(answer));
                        });
}

void RpcClient::on_answer(uint64_t id, common::Result<RpcConnection::Response, RpcError> answer) {
  if (!current(id)) return;
  if (!answer) {
    // A kept-alive connection the node closed while idle fails before any
    // answer: that says nothing about this call, so try once on a new one.
    const bool stale = answer.error().kind == RpcErrorKind::kTransport && connection_->reused() &&
                       !connection_->answer_started();
    drop_connection();
    if (stale && !current_->retried_stale) {
      current_->retried_stale = true;
      spdlog::debug("node RPC: the kept-alive connection was closed ({}); reconnecting",
                    answer.error().message);
      return begin_attempt();
    }
    return finish(answer.error());
  }
  if (!connection_->usable()) drop_connection();
  const RpcConnection::Response& response = answer.value();
  if (response.result_int() == 401) return on_unauthorized();
  finish(interpret_rpc_reply(response.result_int(), response.body(), id, limits_));
}

void RpcClient::on_unauthorized() {
  if (!credentials_.cookie_file.empty() && !current_->retried_login) {
    // The node may have restarted and rewritten its cookie: read it once more.
    current_->retried_login = true;
    spdlog::debug("node RPC: HTTP 401; reading the cookie file again");
    if (!load_cookie()) return;
    return begin_attempt();
  }
  finish(RpcError{RpcErrorKind::kUnauthorized, 401,
                  "the node refused the RPC credentials (HTTP 401)"});
}

}  // namespace synthminer::solo
