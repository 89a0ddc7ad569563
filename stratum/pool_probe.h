// Is a pool alive? Connects, sends mining.subscribe and waits for a good
// subscribe reply, then hangs up. The failback policy uses it to watch the
// pools ahead of the one we mine on.
//
// Design: one object per probe, owned by shared_ptr through its own handlers;
// everything on the io thread. One timer bounds the whole probe; the result
// is reported once, and cancel() reports nothing.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <functional>
#include <memory>
#include <string>

#include "stratum/line_connection.h"
#include "stratum/upstream.h"

namespace synthminer::stratum {

class PoolProbe final : public UpstreamProbe, public std::enable_shared_from_this<PoolProbe> {
 public:
  /// `timeout` bounds connect, handshake and the subscribe reply together.
  PoolProbe(asio::io_context& io, LineEndpoint endpoint, std::string user_agent, Millis timeout);

  void start(Done done) override;
  void cancel() override;

 private:
  void on_connected();
  void on_line(const std::string& line);
  void on_timeout(const boost::system::error_code& ec);
  void finish(bool healthy, const std::string& reason);

  asio::io_context& io_;
  LineEndpoint endpoint_;
  std::string user_agent_;
  Millis timeout_;
  asio::steady_timer timer_;
  std::shared_ptr<LineConnection> conn_;
  Done done_;
  bool finished_ = false;
};

}  // namespace synthminer::stratum
