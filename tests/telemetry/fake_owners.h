// Stand-ins for the modules whose counts the registry reads (the share
// ledger and the verifier): tests record share fates, round trips and
// hardware errors here, and the registry reads them as it would the real
// owners. Thread-safe, like the owners.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "telemetry/registry.h"

namespace synthminer::telemetry::test {

enum class ShareOutcome { kAccepted, kRejected, kStale };

class FakeOwners : public std::enable_shared_from_this<FakeOwners> {
 public:
  /// A new one that `registry` reads (and keeps alive).
  static std::shared_ptr<FakeOwners> attached_to(Registry& registry) {
    auto owners = std::make_shared<FakeOwners>();
    owners->attach(registry);
    return owners;
  }

  void attach(Registry& registry) {
    registry.read_shares_from([this, self = shared_from_this()] {
      std::lock_guard lock(mu_);
      std::vector<PoolShareFigures> out;
      for (const auto& [name, pool] : pools_) {
        PoolShareFigures f = pool.figures;
        f.submit_rtt = pool.rtt.snapshot();
        out.push_back(std::move(f));
      }
      return out;
    });
    registry.read_checks_from([this, self = shared_from_this()] {
      std::lock_guard lock(mu_);
      return devices_;
    });
  }

  void share_result(const std::string& pool, ShareOutcome outcome, double difficulty,
                    const std::string& reason = {}) {
    std::lock_guard lock(mu_);
    PoolShareFigures& f = pool_locked(pool).figures;
    switch (outcome) {
      case ShareOutcome::kAccepted:
        ++f.shares.accepted;
        f.shares.accepted_difficulty += difficulty;
        break;
      case ShareOutcome::kRejected:
        ++f.shares.rejected;
        ++f.rejected_by_reason[reason];
        break;
      case ShareOutcome::kStale:
        ++f.shares.stale;
        ++f.stale_by_reason[reason];
        break;
    }
  }

  void share_submit_rtt(const std::string& pool, double seconds) {
    std::lock_guard lock(mu_);
    pool_locked(pool).rtt.observe(seconds);
  }

  void candidates(const std::string& device, uint64_t n) {
    std::lock_guard lock(mu_);
    device_locked(device).candidates += n;
  }

  void hardware_error(const std::string& device) {
    std::lock_guard lock(mu_);
    ++device_locked(device).hardware_errors;
  }

 private:
  struct Pool {
    PoolShareFigures figures;
    Histogram rtt{submit_rtt_buckets()};
  };
  // Pools in the order first seen, as a ledger keeps them.
  Pool& pool_locked(const std::string& name) {
    for (auto& [n, p] : pools_) {
      if (n == name) return p;
    }
    pools_.emplace_back(name, Pool{});
    pools_.back().second.figures.pool = name;
    return pools_.back().second;
  }
  DeviceCheckFigures& device_locked(const std::string& name) {
    for (auto& d : devices_) {
      if (d.device == name) return d;
    }
    devices_.push_back({name, 0, 0});
    return devices_.back();
  }

  std::mutex mu_;
  std::vector<std::pair<std::string, Pool>> pools_;
  std::vector<DeviceCheckFigures> devices_;
};

}  // namespace synthminer::telemetry::test
