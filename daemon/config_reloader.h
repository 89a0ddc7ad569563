// ConfigReloader: SIGHUP's slow half. Reading the file, checking it against
// the running config and measuring new devices take time, so a helper
// thread does it and posts what it found to the io thread, which applies it
// (Runtime::apply_reload). One reload at a time: a SIGHUP during one is
// folded into it.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "config/config.h"
#include "devices/device_setup.h"

namespace synthminer::daemon {

/// What a reload found.
struct Reloaded {
  std::optional<config::Config> config;         ///< the new config, when valid
  std::string error;                            ///< why not (a JSON path and a reason)
  std::optional<devices::DeviceSetup> devices;  ///< new devices, when they changed
};

/// How devices are built whatever the file says: the command line's choices.
struct ReloadOverrides {
  std::optional<std::string> backend;  ///< --backend
  unsigned threads = 0;                ///< --threads
  bool pools_required = true;          ///< false in the demo (its own pool)
};

class ConfigReloader {
 public:
  explicit ConfigReloader(boost::asio::io_context& io) : io_(io) {}
  ~ConfigReloader() { join(); }
  ConfigReloader(const ConfigReloader&) = delete;
  ConfigReloader& operator=(const ConfigReloader&) = delete;

  /// Reads `path` on a helper thread, diffs it with `running`, builds new
  /// devices when they changed, and posts `apply` with the result to the io
  /// thread. False, and nothing started, while a reload is running. io thread.
  bool request(const std::string& path, const config::Config& running, ReloadOverrides overrides,
               std::function<void(Reloaded)> apply);
  bool running() const { return running_; }
  /// Waits for the helper thread (its result may still be queued on io).
  void join();

 private:
  boost::asio::io_context& io_;
  std::thread thread_;
  bool running_ = false;
};

}  // namespace synthminer::daemon
