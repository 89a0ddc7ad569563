#include "stratum/pool_probe.h"

#include "protocol/messages.h"

namespace synthminer::stratum {

namespace {
constexpr uint64_t kProbeId = 1;
}

PoolProbe::PoolProbe(asio::io_context& io, LineEndpoint endpoint, std::string user_agent,
                     Millis timeout)
    : io_(io),
      endpoint_(std::move(endpoint)),
      user_agent_(std::move(user_agent)),
      timeout_(timeout),
      timer_(io) {}

void PoolProbe::start(Done done) {
  done_ = std::move(done);
  conn_ = std::make_shared<LineConnection>(io_, endpoint_);
  // The timer's handler keeps us alive until the end; the connection's hold us weakly.
  std::weak_ptr<PoolProbe> weak = weak_from_this();
  LineConnection::Handlers h;
  h.on_connected = [weak] {
    if (auto self = weak.lock()) self->on_connected();
  };
  h.on_line = [weak](std::string line) {
    if (auto self = weak.lock()) self->on_line(line);
  };
  h.on_closed = [weak](const std::string& reason) {
    if (auto self = weak.lock()) self->finish(false, reason);
  };
  timer_.expires_after(timeout_);
  timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_timeout(ec); });
  conn_->start(std::move(h));
}

void PoolProbe::cancel() {
  finished_ = true;
  timer_.cancel();
  if (conn_) conn_->close();
  done_ = nullptr;
}

void PoolProbe::on_connected() {
  if (finished_) return;
  conn_->send(protocol::make_request(kProbeId, "mining.subscribe",
                                     protocol::subscribe_params(user_agent_, {})));
}

void PoolProbe::on_line(const std::string& line) {
  if (finished_) return;
  auto msg = protocol::parse_line(line);
  if (!msg || msg->kind != protocol::Incoming::Kind::kResponse)
    return;  // notifications may come first
  if (!msg->id.is_number() || msg->id.get<uint64_t>() != kProbeId) return;
  if (!msg->error.empty()) return finish(false, "subscribe refused: " + msg->error);
  auto sub = protocol::parse_subscribe_result(msg->result);
  finish(sub.ok(), sub.ok() ? "" : "bad subscribe result: " + sub.error());
}

void PoolProbe::on_timeout(const boost::system::error_code& ec) {
  if (ec) return;  // finished or cancelled
  finish(false, "probe timed out");
}

void PoolProbe::finish(bool healthy, const std::string& reason) {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  conn_->close();
  Done done = std::move(done_);
  if (done) done(healthy, reason);
}

}  // namespace synthminer::stratum
