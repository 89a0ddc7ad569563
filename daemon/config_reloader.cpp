#include "daemon/config_reloader.h"

#include "config/diff.h"
#include "config/load.h"
#include "daemon/config_mapping.h"
#include "hashcore/selftest.h"

namespace synthminer::daemon {
namespace {

Reloaded read_and_check(const std::string& path, const config::Config& running,
                        const ReloadOverrides& overrides) {
  Reloaded reloaded;
  auto loaded = config::load_config_file(path, config::LoadOptions{overrides.pools_required});
  if (!loaded) {
    reloaded.error = loaded.error().message();
    return reloaded;
  }
  const config::ConfigDiff diff = config::diff(running, *loaded);
  if (diff.devices_changed() || diff.scheduler_changed) {
    std::string error;
    const auto backend = cpu_backend(*loaded, overrides.backend);
    const auto dispatch = hashcore::Dispatch::create(backend, error);
    if (!dispatch) {
      reloaded.error = "/devices/cpu/backend: " + error;
      return reloaded;
    }
    reloaded.devices = devices::build_devices(*loaded, dispatch->chosen(), overrides.threads);
    if (reloaded.devices->devices.empty()) {
      reloaded.error = "/devices: no device left to mine with";
      return reloaded;
    }
  }
  reloaded.config = std::move(loaded).value();
  return reloaded;
}

}  // namespace

bool ConfigReloader::request(const std::string& path, const config::Config& running,
                             ReloadOverrides overrides, std::function<void(Reloaded)> apply) {
  if (running_) return false;
  running_ = true;
  join();
  thread_ = std::thread(
      [this, path, running, overrides = std::move(overrides), apply = std::move(apply)]() mutable {
        auto reloaded = std::make_shared<Reloaded>(read_and_check(path, running, overrides));
        boost::asio::post(io_, [this, reloaded, apply = std::move(apply)] {
          running_ = false;
          apply(std::move(*reloaded));
        });
      });
  return true;
}

void ConfigReloader::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace synthminer::daemon
