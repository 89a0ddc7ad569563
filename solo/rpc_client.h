// An asynchronous JSON-RPC client for Bitcoin Core (getblocktemplate,
// submitblock), over HTTP or HTTPS.
//
// Design: calls wait in a queue and run one at a time, in order, over one
// kept-alive RpcConnection. Each call has one deadline, armed when it starts
// and covering everything it takes (cookie, connect, TLS, write, read, a
// retry); when it fires the connection is closed, since the node may still
// answer the abandoned request on it. A call retries at most twice, each
// once: after a 401 when a cookie file may have been rewritten, and when a
// kept-alive connection the node had closed fails before any answer. Every
// handler runs on the io thread and holds the client (shared_from_this), so
// create it with std::make_shared; an idle client holds nothing. A call's
// id tells its handlers from those of a call already ended.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "solo/rpc_connection.h"
#include "solo/rpc_types.h"

namespace synthminer::solo {

namespace asio = boost::asio;

class RpcClient : public std::enable_shared_from_this<RpcClient> {
 public:
  using Done = std::function<void(RpcResult)>;

  RpcClient(asio::io_context& io, RpcEndpoint endpoint, RpcCredentials credentials,
            RpcLimits limits = {});
  ~RpcClient();

  /// Queues a call. Calls run one at a time, in order, over one kept-alive
  /// connection (reconnecting when the node closed it). `timeout` bounds
  /// this call from the moment it starts (connect, TLS, write, read).
  /// `done` runs exactly once, on the io thread (posted, never inline from
  /// call()). io thread only.
  void call(std::string method, nlohmann::json params, std::chrono::milliseconds timeout,
            Done done);
  /// Ends the call in flight and every queued one with kCancelled, closes
  /// the connection. Later calls work again. io thread only.
  void cancel();
  uint64_t connections_opened() const;  // for tests: keep-alive shows as 1

 private:
  struct Call {
    uint64_t id = 0;
    std::string method;
    nlohmann::json params;
    std::chrono::milliseconds timeout{0};
    Done done;
    bool retried_login = false;  ///< after a 401, with the cookie read again
    bool retried_stale = false;  ///< after a kept-alive connection turned out closed
  };

  void schedule_next();
  void start_next();
  void on_deadline(uint64_t id, const boost::system::error_code& ec);
  void begin_attempt();
  void on_connected(uint64_t id, std::optional<RpcError> error);
  void do_exchange();
  void on_answer(uint64_t id, common::Result<RpcConnection::Response, RpcError> answer);
  void on_unauthorized();
  bool load_cookie();
  void finish(RpcResult result);
  void drop_connection();
  bool current(uint64_t id) const { return current_ && current_->id == id; }

  asio::io_context& io_;
  const RpcEndpoint endpoint_;
  const RpcCredentials credentials_;
  const RpcLimits limits_;
  std::string authorization_;  ///< "Basic ..." of the login in use; never logged

  std::deque<Call> queue_;
  std::optional<Call> current_;
  asio::steady_timer deadline_;  ///< the current call's
  std::shared_ptr<RpcConnection> connection_;
  uint64_t next_id_ = 1;
  uint64_t connections_opened_ = 0;
  bool next_scheduled_ = false;  ///< a start_next() is posted
};

}  // namespace synthminer::solo
