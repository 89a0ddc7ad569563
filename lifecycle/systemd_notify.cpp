#include "lifecycle/systemd_notify.h"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>

namespace synthminer::lifecycle {
namespace {

uint64_t monotonic_usec() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

bool SystemdNotifier::enabled() const {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && *socket != '\0';
}

bool SystemdNotifier::ready() {
  return send("READY=1");
}

bool SystemdNotifier::reloading() {
  return send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()));
}

bool SystemdNotifier::stopping() {
  return send("STOPPING=1");
}

bool SystemdNotifier::status(std::string_view text) {
  std::string line(text);
  std::replace(line.begin(), line.end(), '\n', ' ');
  return send("STATUS=" + line);
}

bool SystemdNotifier::watchdog_ping() {
  return send("WATCHDOG=1");
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec);
}

bool SystemdNotifier::send(const std::string& message) {
  if (!enabled()) return false;
  return sd_notify(0, message.c_str()) > 0;
}

}  // namespace synthminer::lifecycle
