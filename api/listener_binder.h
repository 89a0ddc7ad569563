// ListenerBinder: binds a listener (the metrics exposer, the API) now, or
// later. Mining is the daemon's job: a port held by another process (a
// second instance, a stale one) must not stop it. A failed bind is logged
// once with its reason, then retried every `retry`; a different reason is
// logged again, the same one is not; success is logged by `bind` itself
// (its usual "serving ..." line). `on_change` runs after every change of
// state, so STATUS and /1/summary can show the error while it lasts.
//
// Everything runs on the io thread.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "stratum/result.h"

namespace synthminer::api {

class ListenerBinder {
 public:
  /// Tries to bind: true when bound, else an error naming the address and why.
  using Bind = std::function<stratum::Result<bool>()>;
  using Changed = std::function<void()>;

  ListenerBinder(boost::asio::io_context& io, std::string name, std::chrono::milliseconds retry,
                 Bind bind, Changed on_change);

  /// The first try, now; later ones on the timer until one succeeds.
  void start();
  /// No more tries.
  void stop();

  const std::string& name() const { return name_; }
  bool bound() const { return bound_; }
  /// Why the last try failed; "" once bound (or before the first try).
  const std::string& error() const { return error_; }
  /// Failed tries so far.
  uint64_t failures() const { return failures_; }

 private:
  void attempt();

  std::string name_;
  std::chrono::milliseconds retry_;
  Bind bind_;
  Changed on_change_;
  boost::asio::steady_timer timer_;
  bool bound_ = false;
  bool stopped_ = false;
  std::string error_;
  uint64_t failures_ = 0;
};

}  // namespace synthminer::api
