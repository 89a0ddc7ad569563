#include "api/listener_binder.h"

#include <spdlog/spdlog.h>

namespace synthminer::api {

ListenerBinder::ListenerBinder(boost::asio::io_context& io, std::string name,
                               std::chrono::milliseconds retry, Bind bind, Changed on_change)
    : name_(std::move(name)),
      retry_(retry),
      bind_(std::move(bind)),
      on_change_(std::move(on_change)),
      timer_(io) {}

void ListenerBinder::start() {
  attempt();
}

void ListenerBinder::stop() {
  stopped_ = true;
  timer_.cancel();
}

void ListenerBinder::attempt() {
  if (stopped_ || bound_) return;
  auto result = bind_();
  if (result) {
    bound_ = true;
    if (failures_ > 0) spdlog::info("{}: bound after {} failed tries", name_, failures_);
    error_.clear();
    if (on_change_) on_change_();
    return;
  }
  ++failures_;
  const std::string why = result.error();
  if (why != error_) {
    spdlog::error("{}; mining goes on, and the bind is retried every {} s", why,
                  std::chrono::duration<double>(retry_).count());
    error_ = why;
    if (on_change_) on_change_();
  }
  timer_.expires_after(retry_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) attempt();
  });
}

}  // namespace synthminer::api
