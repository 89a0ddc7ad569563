// IoLoop: runs an io_context one handler at a time, optionally polling for a
// while after each handler before it blocks. On a virtual machine a thread
// blocked in epoll_wait is woken through the hypervisor, which can cost more
// than the whole of a cached API answer (docs/PERFORMANCE.md, "HTTP cache
// hit"); a client that sends its next request within the window skips that
// wake-up. The window's CPU time is taken from mining, so it is off unless
// configured (api.busy_poll_us).
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>

namespace synthminer::http {

class IoLoop {
 public:
  IoLoop(boost::asio::io_context& io, std::chrono::microseconds busy_poll)
      : io_(io), busy_poll_(busy_poll) {}

  /// Runs at most one handler: one ready now or, within the busy-poll window
  /// after the last handler, one that becomes ready while polling; else
  /// blocks up to `block` for one. Returns the number run (0 or 1).
  std::size_t run_one_for(std::chrono::milliseconds block);

  std::chrono::microseconds busy_poll() const { return busy_poll_; }

 private:
  using Clock = std::chrono::steady_clock;

  boost::asio::io_context& io_;
  std::chrono::microseconds busy_poll_;
  Clock::time_point last_handler_{};
};

}  // namespace synthminer::http
