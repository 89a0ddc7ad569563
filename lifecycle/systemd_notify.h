// SystemdNotifier: the daemon's side of the sd_notify protocol (libsystemd),
// for a Type=notify unit: READY, RELOADING, STOPPING, STATUS and watchdog
// pings. Every call is a no-op returning false when NOTIFY_SOCKET is unset
// (not started by systemd), so the daemon calls it unconditionally. Stateless
// apart from the environment: any thread may call any method; messages from
// one thread arrive in the order sent.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace synthminer::lifecycle {

class SystemdNotifier {
 public:
  /// True when NOTIFY_SOCKET is set, i.e. systemd listens for these messages.
  bool enabled() const;

  /// "READY=1": start-up finished (mining, or waiting for a pool), and
  /// after a reload, the new config is in force.
  bool ready();
  /// "RELOADING=1" with "MONOTONIC_USEC=<now>" (systemd 253+ wants the
  /// timestamp; 252 ignores it). Send ready() when the reload is done.
  bool reloading();
  /// "STOPPING=1": shutdown has begun.
  bool stopping();
  /// "STATUS=<text>", the one-line status `systemctl status` shows.
  /// Newlines in `text` are sent as spaces.
  bool status(std::string_view text);
  /// "WATCHDOG=1": the io loop is alive. Send at least every
  /// watchdog_interval() / 2.
  bool watchdog_ping();

  /// The unit's WatchdogSec for this process (WATCHDOG_USEC when
  /// WATCHDOG_PID is unset or ours), or nullopt when no watchdog is set.
  std::optional<std::chrono::microseconds> watchdog_interval() const;

 private:
  bool send(const std::string& message);
};

}  // namespace synthminer::lifecycle
