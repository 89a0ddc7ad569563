#include "telemetry/registry.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace synthminer::telemetry {

namespace {

double finite_or_zero(double v) {
  return std::isfinite(v) ? v : 0;
}

/// Adds `more` into `into` when both have the same buckets (a pool's round
/// trips under one label from two sources); `into` is taken as is otherwise.
void add_histogram(HistogramSnapshot& into, const HistogramSnapshot& more) {
  if (more.upper_bounds != into.upper_bounds) return;
  for (size_t i = 0; i < into.cumulative_counts.size(); ++i) {
    into.cumulative_counts[i] += more.cumulative_counts[i];
  }
  into.count += more.count;
  into.sum += more.sum;
}

}  // namespace

Registry::Registry(NowFn now) : now_(std::move(now)), created_(now_()) {
  // Built in, through the same path as any later family.
  const auto add = [this](FamilySpec spec) { return add_family(std::move(spec)).value(); };
  vgpu_operations_ = add({"synthminer_vgpu_operations_total",
                          "vgpu operations run, by kind",
                          FamilyKind::kCounter,
                          {"kind"}});
  vgpu_cache_hits_ = add({"synthminer_vgpu_cache_hits_total",
                          "vgpu cache lookups answered from the cache",
                          FamilyKind::kCounter,
                          {}});
  vgpu_cache_misses_ = add({"synthminer_vgpu_cache_misses_total",
                            "vgpu cache lookups that had to compute",
                            FamilyKind::kCounter,
                            {}});
  family_add(vgpu_cache_hits_, {}, 0);
  family_add(vgpu_cache_misses_, {}, 0);
}

void Registry::set_build_info(std::string version, std::string commit) {
  std::lock_guard lock(mu_);
  build_.version = sanitize_name(version);
  build_.commit = sanitize_name(commit);
}

Registry::Device& Registry::device_locked(std::string_view name) {
  const std::string label = device_names_.admit(sanitize_name(name));
  for (auto& d : devices_) {
    if (d->name == label) return *d;
  }
  devices_.push_back(std::make_unique<Device>());
  devices_.back()->name = label;
  return *devices_.back();
}

Registry::Pool& Registry::pool_locked(std::string_view name) {
  const std::string label = pool_names_.admit(sanitize_name(name));
  for (auto& p : pools_) {
    if (p->name == label) return *p;
  }
  pools_.push_back(std::make_unique<Pool>());
  pools_.back()->name = label;
  return *pools_.back();
}

void Registry::add_device(std::string_view device) {
  std::lock_guard lock(mu_);
  device_locked(device);
}

void Registry::batch_finished(std::string_view device, const BatchSample& batch) {
  const Clock::time_point now = now_();
  std::lock_guard lock(mu_);
  Device& d = device_locked(device);
  const double seconds = std::max(finite_or_zero(batch.seconds), 0.0);
  d.series.add_batch(batch.hashes, seconds, now);
  ++d.batches;
  d.candidates_held_back += batch.candidates_held_back;
  d.last_batch_nonces = batch.nonces;
  if (batch.abandoned) {
    ++d.abandoned_batches;
  } else {
    d.last_batch_seconds = seconds;
    d.batch_duration.observe(seconds);
  }
}

void Registry::add_pool(std::string_view pool) {
  std::lock_guard lock(mu_);
  pool_locked(pool);
}

void Registry::pool_connection(std::string_view pool, bool up) {
  std::lock_guard lock(mu_);
  pool_locked(pool).up = up;
}

void Registry::pool_disconnected(std::string_view pool, std::string_view cause) {
  std::lock_guard lock(mu_);
  ++pool_locked(pool).disconnects_by_cause[disconnect_causes_.admit(sanitize_reason(cause))];
}

void Registry::pool_difficulty(std::string_view pool, double difficulty) {
  std::lock_guard lock(mu_);
  pool_locked(pool).difficulty = std::max(finite_or_zero(difficulty), 0.0);
}

void Registry::read_shares_from(ShareSource source) {
  std::lock_guard lock(sources_mu_);
  shares_source_ = std::move(source);
}

void Registry::read_checks_from(CheckSource source) {
  std::lock_guard lock(sources_mu_);
  checks_source_ = std::move(source);
}

Registry::Read Registry::read_sources() const {
  Read read;
  std::lock_guard lock(sources_mu_);
  if (shares_source_) read.shares = shares_source_();
  if (checks_source_) read.checks = checks_source_();
  return read;
}

void Registry::job_switch(double seconds) {
  std::lock_guard lock(mu_);
  job_switch_.observe(seconds);
}

void Registry::listener_status(std::string_view listener, std::string_view error) {
  std::lock_guard lock(mu_);
  listeners_[std::string(listener)] = std::string(error);
}

void Registry::config_reload(ReloadOutcome outcome) {
  std::lock_guard lock(mu_);
  ++(outcome == ReloadOutcome::kSuccess ? reloads_succeeded_ : reloads_failed_);
}

void Registry::vgpu_operation(std::string_view kind) {
  family_add(vgpu_operations_, {std::string(kind)}, 1);
}

void Registry::vgpu_cache_lookup(bool hit) {
  family_add(hit ? vgpu_cache_hits_ : vgpu_cache_misses_, {}, 1);
}

Result<FamilyId> Registry::add_family(FamilySpec spec) {
  if (std::string why = check_family_spec(spec); !why.empty()) return Error{why};
  std::lock_guard lock(mu_);
  for (const Family& f : families_) {
    if (f.spec().name == spec.name) return Error{"family '" + spec.name + "' already exists"};
  }
  families_.emplace_back(std::move(spec));
  return FamilyId{families_.size() - 1};
}

void Registry::family_add(FamilyId id, const std::vector<std::string>& label_values, double delta) {
  std::lock_guard lock(mu_);
  if (id.index < families_.size()) families_[id.index].add(label_values, delta);
}

void Registry::family_set(FamilyId id, const std::vector<std::string>& label_values, double value) {
  std::lock_guard lock(mu_);
  if (id.index < families_.size()) families_[id.index].set(label_values, value);
}

HashrateSnapshot Registry::rates_locked(const HashrateSeries& series, Clock::time_point now) const {
  return {series.rate(kWindows[0], now), series.rate(kWindows[1], now),
          series.rate(kWindows[2], now)};
}

HashrateSnapshot Registry::total_rates_locked(Clock::time_point now) const {
  // The miner has a window's history once its earliest device does; a
  // device that joined later contributes what it did inside the window.
  std::optional<Clock::time_point> started;
  for (const auto& d : devices_) {
    if (auto s = d->series.started(); s && (!started || *s < *started)) started = s;
  }
  const auto rate = [&](std::chrono::seconds window) -> std::optional<double> {
    if (!started || now - window < *started) return std::nullopt;
    double hashes = 0;
    for (const auto& d : devices_) hashes += d->series.hashes_between(now - window, now);
    return hashes / std::chrono::duration<double>(window).count();
  };
  return {rate(kWindows[0]), rate(kWindows[1]), rate(kWindows[2])};
}

std::vector<DeviceSnapshot> Registry::devices_locked(
    Clock::time_point now, const std::vector<DeviceCheckFigures>& checks) const {
  std::vector<DeviceSnapshot> out;
  out.reserve(devices_.size());
  for (const auto& d : devices_) {
    DeviceSnapshot s;
    s.name = d->name;
    s.hashrate = rates_locked(d->series, now);
    s.hashes = d->series.total();
    s.batches = d->batches;
    s.abandoned_batches = d->abandoned_batches;
    s.candidates_held_back = d->candidates_held_back;
    s.last_batch_nonces = d->last_batch_nonces;
    s.last_batch_seconds = d->last_batch_seconds;
    s.batch_duration = d->batch_duration.snapshot();
    out.push_back(std::move(s));
  }
  // The verifier's figures, by label; a device it knows and no batch did yet
  // is shown too.
  for (const DeviceCheckFigures& c : checks) {
    const std::string label = device_names_.admit(sanitize_name(c.device));
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const DeviceSnapshot& d) { return d.name == label; });
    if (it == out.end()) {
      out.emplace_back().name = label;
      it = std::prev(out.end());
    }
    it->candidates += c.candidates;
    it->hardware_errors += c.hardware_errors;
  }
  for (DeviceSnapshot& d : out) {
    if (d.candidates > 0) {
      d.hardware_error_ratio =
          static_cast<double>(d.hardware_errors) / static_cast<double>(d.candidates);
    }
  }
  return out;
}

void Registry::add_reasons(std::map<std::string, uint64_t>& into,
                           const std::map<std::string, uint64_t>& by_reason,
                           BoundedLabels& labels) {
  for (const auto& [reason, count] : by_reason)
    into[labels.admit(sanitize_reason(reason))] += count;
}

std::vector<PoolSnapshot> Registry::pools_locked(
    const std::vector<PoolShareFigures>& shares) const {
  std::vector<PoolSnapshot> out;
  out.reserve(pools_.size());
  for (const auto& p : pools_) {
    PoolSnapshot s;
    s.name = p->name;
    s.up = p->up;
    s.difficulty = p->difficulty;
    s.disconnects_by_cause = p->disconnects_by_cause;
    s.submit_rtt = Histogram(submit_rtt_buckets()).snapshot();
    out.push_back(std::move(s));
  }
  // The share ledger's figures, by label; a pool known only to the ledger
  // is shown too.
  for (const PoolShareFigures& f : shares) {
    const std::string label = pool_names_.admit(sanitize_name(f.pool));
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const PoolSnapshot& p) { return p.name == label; });
    if (it == out.end()) {
      PoolSnapshot s;
      s.name = label;
      s.submit_rtt = Histogram(submit_rtt_buckets()).snapshot();
      out.push_back(std::move(s));
      it = std::prev(out.end());
    }
    it->shares.accepted += f.shares.accepted;
    it->shares.rejected += f.shares.rejected;
    it->shares.stale += f.shares.stale;
    it->shares.accepted_difficulty += std::max(finite_or_zero(f.shares.accepted_difficulty), 0.0);
    add_reasons(it->rejected_by_reason, f.rejected_by_reason, reject_reasons_);
    add_reasons(it->stale_by_reason, f.stale_by_reason, stale_reasons_);
    add_histogram(it->submit_rtt, f.submit_rtt);
  }
  return out;
}

SummarySnapshot Registry::summary_locked(Clock::time_point now,
                                         const std::vector<DeviceSnapshot>& devices,
                                         const std::vector<PoolSnapshot>& pools) const {
  SummarySnapshot s;
  s.build = build_;
  s.uptime_seconds = std::max(std::chrono::duration<double>(now - created_).count(), 0.0);
  s.hashrate = total_rates_locked(now);
  for (const DeviceSnapshot& d : devices) {
    s.hashes += d.hashes;
    s.hardware_errors += d.hardware_errors;
  }
  for (const PoolSnapshot& p : pools) {
    s.shares.accepted += p.shares.accepted;
    s.shares.rejected += p.shares.rejected;
    s.shares.stale += p.shares.stale;
    s.shares.accepted_difficulty += p.shares.accepted_difficulty;
    if (p.up) ++s.pools_up;
  }
  s.devices = devices.size();
  s.pools = pools.size();
  s.reloads_succeeded = reloads_succeeded_;
  s.reloads_failed = reloads_failed_;
  s.job_switch = job_switch_.snapshot();
  s.listeners = listeners_;
  return s;
}

Snapshot Registry::snapshot() const {
  const Read read = read_sources();
  const Clock::time_point now = now_();
  std::lock_guard lock(mu_);
  Snapshot s;
  s.devices = devices_locked(now, read.checks);
  s.pools = pools_locked(read.shares);
  s.summary = summary_locked(now, s.devices, s.pools);
  s.families.reserve(families_.size());
  for (const Family& f : families_) s.families.push_back(f.snapshot());
  return s;
}

SummarySnapshot Registry::summary() const {
  const Read read = read_sources();
  const Clock::time_point now = now_();
  std::lock_guard lock(mu_);
  return summary_locked(now, devices_locked(now, read.checks), pools_locked(read.shares));
}

std::vector<DeviceSnapshot> Registry::devices() const {
  const Read read = read_sources();
  const Clock::time_point now = now_();
  std::lock_guard lock(mu_);
  return devices_locked(now, read.checks);
}

std::vector<PoolSnapshot> Registry::pools() const {
  const Read read = read_sources();
  std::lock_guard lock(mu_);
  return pools_locked(read.shares);
}

}  // namespace synthminer::telemetry
