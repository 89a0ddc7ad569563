// Registry: where the miner's numbers meet. It counts what no other module
// owns (batches and hashes as the workers report them, pool connections,
// reloads, listeners, vgpu operations) and reads, at each snapshot, what
// other modules own (telemetry/sources.h: share fates and round trips from
// the share ledger, hardware errors from the verifier), so nothing is
// counted twice. The daemon feeds it plain values (no stratum or scheduler
// types); the console line, the JSON API and the Prometheus collector read
// snapshots of it.
//
// Design: every method is thread-safe. One mutex guards all state; writers
// are the daemon's io thread (pool events, batch reports posted there from
// the workers), readers are the io thread (API, console) and the Prometheus
// exposer's threads (a scrape copies a Snapshot under the lock and renders
// it outside). The sources are called before the lock is taken. Each call holds the lock for a few
// map lookups; a snapshot copies O(devices + pools + reasons) small values. Time comes from the
// injected `now` function, so tests can script it.
//
// Cardinality: device and pool names are sanitised (labels.h) and capped
// (kMaxDevices, kMaxPools); reject and stale reasons are sanitised and at
// most kMaxReasons distinct reasons are kept, the rest fold into "other".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/family.h"
#include "telemetry/hashrate_series.h"
#include "telemetry/histogram.h"
#include "telemetry/labels.h"
#include "telemetry/result.h"
#include "telemetry/snapshot.h"
#include "telemetry/sources.h"

namespace synthminer::telemetry {

using NowFn = std::function<Clock::time_point()>;

enum class ReloadOutcome { kSuccess, kFailure };

/// One finished batch of one device, from its worker's report.
struct BatchSample {
  uint64_t hashes = 0;                ///< nonces hashed (fewer than `nonces` when abandoned)
  double seconds = 0;                 ///< wall time of the batch
  uint64_t nonces = 0;                ///< nonces the batch held (its size)
  uint64_t candidates_held_back = 0;  ///< past the per-batch bound, dropped unverified
  /// A clean job or stop cut it short: its hashes count, but its duration
  /// stays out of the batch duration histogram (it is not a full batch).
  bool abandoned = false;
};

/// Handle of a family added with Registry::add_family.
struct FamilyId {
  size_t index = 0;
};

class Registry {
 public:
  static constexpr size_t kMaxDevices = 256;
  static constexpr size_t kMaxPools = 64;
  static constexpr size_t kMaxReasons = 32;  ///< per kind (reject, stale), all pools together

  /// `now` is the clock for batch ends, windows and uptime (steady_clock by
  /// default; tests pass a scripted one).
  explicit Registry(NowFn now = &Clock::now);

  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // --- feeding (any thread; the daemon calls these on its io thread) ---

  /// Version and git commit for synthminer_build_info.
  void set_build_info(std::string version, std::string commit);
  /// Makes a device known (its counters exported at 0) before its first batch.
  void add_device(std::string_view device);
  /// A batch of `device` finished now (the window series end it at now()).
  /// `batch.seconds` is its wall time; `batch.hashes` nonces hashed.
  void batch_finished(std::string_view device, const BatchSample& batch);
  /// Makes a pool known (its counters exported at 0) before any event.
  void add_pool(std::string_view pool);
  /// The pool's connection went up (subscribed, authorised) or down.
  void pool_connection(std::string_view pool, bool up);
  /// The connection to the pool ended; `cause` is our reason's kind (such
  /// as "connect timed out after # ms"), sanitised and capped like reasons.
  void pool_disconnected(std::string_view pool, std::string_view cause);
  /// The pool's share difficulty changed.
  void pool_difficulty(std::string_view pool, double difficulty);
  /// Where share fates, reasons and round trips are read from (the share
  /// ledger); none: every pool shows zero shares.
  void read_shares_from(ShareSource source);
  /// Where each device's verified candidates and hardware errors are read
  /// from (the verifier); none: zero.
  void read_checks_from(CheckSource source);
  /// From a clean job reaching the daemon to a device's first batch of it, seconds.
  void job_switch(double seconds);
  /// A config reload was applied (success) or refused (failure).
  void config_reload(ReloadOutcome outcome);
  /// A listener of the daemon ("metrics", "api") is serving (`error` empty)
  /// or cannot bind, and why. Names come from the daemon, never a peer.
  void listener_status(std::string_view listener, std::string_view error);

  /// vgpu: one operation of `kind` (sanitised, capped) ran.
  void vgpu_operation(std::string_view kind);
  /// vgpu: one cache lookup, a hit or a miss.
  void vgpu_cache_lookup(bool hit);

  /// Registers another counter or gauge family; an error when the spec is
  /// invalid or the name is taken. Families live as long as the registry.
  Result<FamilyId> add_family(FamilySpec spec);
  /// Adds to a family's series (counters: delta >= 0).
  void family_add(FamilyId id, const std::vector<std::string>& label_values, double delta = 1);
  /// Sets a gauge family's series.
  void family_set(FamilyId id, const std::vector<std::string>& label_values, double value);

  // --- reading (any thread) ---

  Snapshot snapshot() const;
  SummarySnapshot summary() const;
  std::vector<DeviceSnapshot> devices() const;
  std::vector<PoolSnapshot> pools() const;

 private:
  struct Device {
    std::string name;
    HashrateSeries series;
    uint64_t batches = 0;
    uint64_t abandoned_batches = 0;
    uint64_t candidates_held_back = 0;
    uint64_t last_batch_nonces = 0;
    double last_batch_seconds = 0;
    Histogram batch_duration{batch_duration_buckets()};
  };
  struct Pool {
    std::string name;
    bool up = false;
    double difficulty = 0;
    std::map<std::string, uint64_t> disconnects_by_cause;
  };
  /// What the sources said, read before the lock.
  struct Read {
    std::vector<PoolShareFigures> shares;
    std::vector<DeviceCheckFigures> checks;
  };
  Read read_sources() const;

  Device& device_locked(std::string_view name);
  Pool& pool_locked(std::string_view name);
  HashrateSnapshot rates_locked(const HashrateSeries& series, Clock::time_point now) const;
  HashrateSnapshot total_rates_locked(Clock::time_point now) const;
  SummarySnapshot summary_locked(Clock::time_point now, const std::vector<DeviceSnapshot>& devices,
                                 const std::vector<PoolSnapshot>& pools) const;
  std::vector<DeviceSnapshot> devices_locked(Clock::time_point now,
                                             const std::vector<DeviceCheckFigures>& checks) const;
  std::vector<PoolSnapshot> pools_locked(const std::vector<PoolShareFigures>& shares) const;
  /// `by_reason` with each key sanitised and admitted to `labels` (folded keys add up).
  static void add_reasons(std::map<std::string, uint64_t>& into,
                          const std::map<std::string, uint64_t>& by_reason, BoundedLabels& labels);

  const NowFn now_;
  const Clock::time_point created_;

  mutable std::mutex mu_;
  BuildInfo build_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<std::unique_ptr<Pool>> pools_;
  // Mutable: reading the sources admits the names they bring.
  mutable BoundedLabels device_names_{kMaxDevices};
  mutable BoundedLabels pool_names_{kMaxPools};
  // Admitted while reading the share ledger: a reason keeps its label once seen.
  mutable BoundedLabels reject_reasons_{kMaxReasons};
  mutable BoundedLabels stale_reasons_{kMaxReasons};
  BoundedLabels disconnect_causes_{kMaxReasons};
  Histogram job_switch_{job_switch_buckets()};
  std::map<std::string, std::string, std::less<>> listeners_;  ///< name -> error, "" when up
  uint64_t reloads_succeeded_ = 0;
  uint64_t reloads_failed_ = 0;
  std::vector<Family> families_;
  mutable std::mutex sources_mu_;  ///< guards the two sources; never held with mu_
  ShareSource shares_source_;
  CheckSource checks_source_;
  FamilyId vgpu_operations_;
  FamilyId vgpu_cache_hits_;
  FamilyId vgpu_cache_misses_;
};

}  // namespace synthminer::telemetry
