// What the mining routes may ask of the miner, and nothing more: pause and
// resume, the pools and a switch between them, the scheduler's view of each
// device. The daemon implements these on its mining session
// (daemon/api_adapter.h); the routes never see the session, the pool client
// or the scheduler. Every call comes from the API server's io thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace synthminer::api {

class MiningControl {
 public:
  virtual ~MiningControl() = default;
  virtual bool paused() const = 0;
  /// Stops hashing; the pool connection stays up. No-op when paused.
  virtual void pause() = 0;
  /// Mines the latest job again. No-op when not paused.
  virtual void resume() = 0;
};

/// A node mined solo (a pool entry with an http:// URL), as its sessions saw it.
struct NodeState {
  std::string pool;                            ///< the entry's name
  std::string chain;                           ///< "" before the node answered
  uint64_t height = 0;                         ///< of the block being mined
  std::optional<double> template_age_seconds;  ///< nullopt before the first template
  uint64_t blocks_submitted = 0;
  uint64_t blocks_accepted = 0;
  std::map<std::string, uint64_t> blocks_rejected;  ///< by the node's reason
};

class PoolControl {
 public:
  virtual ~PoolControl() = default;
  /// The configured pools' indices, in failover order.
  virtual const std::vector<size_t>& pool_order() const = 0;
  /// The name of pool `index` (one of pool_order()).
  virtual std::string pool_name(size_t index) const = 0;
  /// The pool in use (or being connected to).
  virtual size_t current_pool() const = 0;
  /// Moves to pool `index` (one of pool_order()).
  virtual void switch_pool(size_t index) = 0;
  /// The nodes among the pools that have been connected to (solo mining).
  virtual std::vector<NodeState> nodes() const { return {}; }
};

/// One mining device as the scheduler sees it.
struct DeviceState {
  std::string name;     ///< the worker's name ("cpu_0", "cuda0")
  double rate = 0;      ///< estimated hashes per second
  uint64_t stalls = 0;  ///< batches taken away as stalled
  std::string state;    ///< its health state ("ok", "backed off", ...)
  std::string reason;   ///< why it is not ok; empty when it is
};

class DeviceQuery {
 public:
  virtual ~DeviceQuery() = default;
  virtual std::vector<DeviceState> device_states() const = 0;
};

}  // namespace synthminer::api
