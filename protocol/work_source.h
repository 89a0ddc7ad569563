// Where jobs come from and where their shares go, as the daemon sees it: a
// Stratum pool client today, a node's block template (getblocktemplate)
// beside it later. The scheduler knows neither; it mines WorkItems. The
// mining session knows only these interfaces.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "protocol/job.h"
#include "protocol/share_ledger.h"
#include "protocol/work_item.h"

namespace synthminer::protocol {

enum class ConnectionState { kConnecting, kConnected, kAuthorized, kDisconnected };
const char* to_string(ConnectionState state);

/// A source's link to one of its upstreams (a pool) changed state.
struct ConnectionEvent {
  size_t pool = 0;
  std::string pool_name;
  ConnectionState state = ConnectionState::kDisconnected;
  std::string reason;  ///< kDisconnected: why
};

/// The verdict on one share, once it has one.
struct ShareResult {
  size_t pool = 0;
  uint64_t session = 0;
  Share share;
  ShareFate fate = ShareFate::kRejected;
  std::string reason;     ///< rejected: the upstream's (or "timeout"); stale: ours
  double difficulty = 0;  ///< of the share's job
};

/// Hears a WorkSource, on the source's own thread; a handler must not block.
class WorkListener {
 public:
  virtual ~WorkListener() = default;
  /// A new job to mine (job.clean_jobs: drop all older work).
  virtual void on_job(const WorkItem& work) = 0;
  virtual void on_difficulty(size_t /*pool*/, double /*difficulty*/) {}
  virtual void on_share_result(const ShareResult& /*result*/) {}
  virtual void on_connection_state(const ConnectionEvent& /*event*/) {}
};

class WorkSource {
 public:
  virtual ~WorkSource() = default;
  /// Starts fetching jobs. Any thread.
  virtual void start() = 0;
  /// Stops at once; shares not yet answered are accounted as the source's
  /// ledger says; the listener hears nothing afterwards. Any thread.
  virtual void stop() = 0;
  /// Takes no new job, waits up to `drain` for the answers to the shares
  /// already given, then stops as stop() does and posts `done` to its
  /// thread. Nothing blocks meanwhile. Any thread.
  virtual void drain_and_stop(std::chrono::milliseconds drain, std::function<void()> done) = 0;
  /// Sends a share found for the job `ref` names, judged against the source's
  /// current state (a share of a job the source no longer holds is stale,
  /// never sent). `block`: it also meets the network target. Any thread.
  virtual void submit(Share share, const JobRef& ref, bool block) = 0;

  /// Per upstream (pool index order), from the source's ledger. Any thread.
  virtual std::vector<ShareStats> share_stats() const = 0;
  /// Every upstream's shares added up. Any thread.
  virtual ShareStats share_totals() const = 0;
  /// Upstreams known since start (their indexes are stable). Source's thread.
  virtual size_t pool_count() const = 0;
  virtual const std::string& pool_name(size_t index) const = 0;
  /// The most shares a second worth sending; more are stale "submit rate limit".
  virtual double max_submits_per_second() const = 0;
};

}  // namespace synthminer::protocol
