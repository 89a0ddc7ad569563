#include "daemon/mining_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/work.h"

namespace synthminer::daemon {

MiningSession::MiningSession(boost::asio::io_context& io, MiningObserver& observer,
                             std::vector<devices::MiningDevice> devices,
                             scheduler::SchedulerOptions options)
    : io_(io),
      observer_(observer),
      // The callbacks run on worker threads: hand over to the io thread.
      scheduler_(
          std::move(options),
          [this](scheduler::WorkerReport report) {
            boost::asio::post(io_,
                              [this, r = std::move(report)]() mutable { on_report(std::move(r)); });
          },
          [this](scheduler::FoundShare found) {
            boost::asio::post(io_,
                              [this, f = std::move(found)]() mutable { on_found(std::move(f)); });
          },
          [this](scheduler::StallEvent stall) {
            boost::asio::post(io_, [this, s = std::move(stall)] {
              if (!stopped_) observer_.on_stall(s);
            });
          }) {
  for (auto& d : devices) {
    add_device(std::string(d.device->name()));
    scheduler_.add_device(std::move(d.device), d.options);
  }
}

void MiningSession::attach_source(std::shared_ptr<protocol::WorkSource> source) {
  source_ = std::move(source);
}

MiningSession::~MiningSession() {
  if (telemetry_) {
    telemetry_->read_shares_from({});
    telemetry_->read_checks_from({});
  }
  // Workers must be gone before the members their reports would touch.
  scheduler_.stop();
  if (source_) source_->stop();
}

void MiningSession::start() {
  scheduler_.start();
  source_->start();
}

void MiningSession::stop(std::chrono::milliseconds drain, std::function<void()> done) {
  if (stopped_ || !source_) {
    stopped_ = true;
    scheduler_.stop();
    return boost::asio::post(io_, std::move(done));
  }
  stopped_ = true;
  scheduler_.stop();
  // The reports the workers posted before they stopped are queued ahead of
  // this (the io queue is first in, first out): their shares are submitted
  // before the source starts to drain.
  boost::asio::post(io_, [this, drain, done = std::move(done)]() mutable {
    source_->drain_and_stop(drain, std::move(done));
  });
}

void MiningSession::on_job(const protocol::WorkItem& work) {
  if (stopped_) return;
  // The devices look for the scan target; the share keeps its JobRef, so
  // the source judges it against its own values.
  protocol::WorkItem scanned = work;
  scanned.share_target = scan_target(work);
  latest_job_ = scanned;
  resume_extranonce2_ = 0;
  if (telemetry_) telemetry_->pool_difficulty(work.pool_name, work.difficulty);
  if (paused_) {
    observer_.on_job(work);
    return;
  }
  const uint64_t generation = scheduler_.set_job(std::move(scanned));
  if (work.job.clean_jobs) {
    clean_jobs_.emplace_back(generation, std::chrono::steady_clock::now());
    if (clean_jobs_.size() > kJobSessionsKept) clean_jobs_.pop_front();
  }
  observer_.on_job(work);
}

void MiningSession::on_share_result(const protocol::ShareResult& result) {
  observer_.on_share_result(result);
}

void MiningSession::on_connection_state(const protocol::ConnectionEvent& event) {
  // Without a pool there is nothing to mine for: shares would only queue.
  if (event.state == protocol::ConnectionState::kDisconnected) {
    scheduler_.clear_job();
    latest_job_.reset();
  }
  if (telemetry_) {
    telemetry_->pool_connection(event.pool_name,
                                event.state == protocol::ConnectionState::kAuthorized);
    if (event.state == protocol::ConnectionState::kDisconnected && !event.reason.empty()) {
      // The kind of end, not its detail: "write: Broken pipe" counts as "write".
      telemetry_->pool_disconnected(
          event.pool_name, protocol::reason_key(event.reason.substr(0, event.reason.find(':'))));
    }
  }
  observer_.on_connection(event);
}

void MiningSession::add_device(const std::string& device) {
  if (last_generation_.try_emplace(device, 0).second && telemetry_) telemetry_->add_device(device);
}

void MiningSession::on_report(scheduler::WorkerReport report) {
  add_device(report.device);
  // The first batch of a new clean job on this device: how long the switch took.
  if (uint64_t& last = last_generation_[report.device]; report.generation != last) {
    last = report.generation;
    for (const auto& [generation, at] : clean_jobs_) {
      if (generation == report.generation && report.started >= at) {
        const double ms = std::chrono::duration<double, std::milli>(report.started - at).count();
        job_switch_ms_.add(ms);
        if (telemetry_) telemetry_->job_switch(ms / 1000);
      }
    }
  }
  // Shares were submitted the moment they were found (on_found); the
  // verifier counted them and any hardware error.
  if (report.candidates_held_back > 0 && !held_back_logged_) {
    held_back_logged_ = true;
    spdlog::warn(
        "{}: more candidates in a batch than are verified per batch; the rest are dropped "
        "(counted in synthminer_candidates_held_back_total; logged once)",
        report.device);
  }
  for (const auto& v : report.candidates) {
    if (v.fate == scheduler::CandidateFate::kHardwareError) {
      observer_.on_hardware_error(report.device, v.reason);
    }
  }
  if (telemetry_) {
    telemetry_->batch_finished(report.device,
                               {report.hashes, report.seconds, report.batch_nonces,
                                report.candidates_held_back, report.abandoned || report.stalled});
  }
  observer_.on_batch(report);
}

void MiningSession::on_found(scheduler::FoundShare found) {
  const auto& v = found.verification;
  // With the session its job came from: the source judges whether it is
  // still worth sending (or counts it stale, with the reason).
  // A block goes ahead of every queued share (the observer logs it).
  // A block goes first once per chain tip; later ones on the same tip
  // compete with it and are sent as ordinary shares, within the budget.
  const bool block = v.block && last_block_tip_ != found.origin.prevhash;
  if (block) last_block_tip_ = found.origin.prevhash;
  source_->submit(*v.share, found.origin, block);
  submit_ms_.add(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - found.found)
          .count());
  observer_.on_share_found(found.device, *v.share, protocol::hash_difficulty(v.hash), block);
}

hashcore::Target MiningSession::scan_target(const protocol::WorkItem& work) {
  // Look for about twice the shares the budget lets through: the budget is
  // used, and nothing past it is hashed, verified and dropped by the million.
  constexpr double kHeadroom = 2;
  double rate = 0;
  for (const double r : scheduler_.rates()) rate += r;
  const double budget = source_->max_submits_per_second();
  const double floor = rate / (4294967296.0 * kHeadroom * budget);
  if (!(floor > work.difficulty)) return work.share_target;
  if (floor > 2 * scan_difficulty_logged_ || floor < scan_difficulty_logged_ / 2) {
    scan_difficulty_logged_ = floor;
    spdlog::warn(
        "[{}] pool difficulty {:.3g} would find far more shares than the {} a second "
        "stratum.max_submits_per_second sends: the devices look for difficulty {:.3g} instead",
        work.pool_name, work.difficulty, budget, floor);
  }
  return protocol::difficulty_to_target(floor).value_or(work.share_target);
}

void MiningSession::attach_telemetry(telemetry::Registry& registry) {
  telemetry_ = &registry;
  for (const auto& [device, generation] : last_generation_) registry.add_device(device);
  for (size_t i = 0; i < source_->pool_count(); ++i) registry.add_pool(source_->pool_name(i));
  // The registry reads the owners' counts; it keeps no copy of them.
  // Both run on the registry's readers' threads: the ledger and the
  // verifier are thread-safe; ~MiningSession unhooks them.
  registry.read_shares_from([source = source_] {
    std::vector<telemetry::PoolShareFigures> out;
    for (const protocol::ShareStats& s : source->share_stats()) {
      out.push_back({s.pool,
                     {s.accepted, s.rejected, s.stale, s.accepted_difficulty},
                     s.rejected_by_reason,
                     s.stale_by_reason,
                     s.submit_rtt});
    }
    return out;
  });
  registry.read_checks_from([this] {
    std::vector<telemetry::DeviceCheckFigures> out;
    for (const auto& d : scheduler_.verifier().verdicts()) {
      out.push_back({d.device, d.candidates, d.hardware_errors});
    }
    return out;
  });
}

void MiningSession::pause() {
  if (paused_ || stopped_) return;
  paused_ = true;
  resume_extranonce2_ = scheduler_.untouched_extranonce2();
  scheduler_.clear_job();
}

void MiningSession::resume() {
  if (!paused_ || stopped_) return;
  paused_ = false;
  if (!latest_job_) return;  // the next job starts the work
  protocol::WorkItem work = *latest_job_;
  work.job.clean_jobs = true;  // a fresh start: nothing older is in flight
  // Past what was mined before the pause: the same shares found again
  // would be rejected as duplicates.
  scheduler_.set_job(std::move(work), resume_extranonce2_);
}

void MiningSession::reconfigure_devices(std::vector<devices::MiningDevice> devices,
                                        scheduler::SchedulerOptions options) {
  std::vector<std::pair<std::unique_ptr<scheduler::ScanDevice>, scheduler::WorkerOptions>> list;
  for (auto& d : devices) {
    add_device(std::string(d.device->name()));
    list.emplace_back(std::move(d.device), d.options);
  }
  scheduler_.reconfigure(std::move(list), std::move(options));
}

uint64_t MiningSession::total_hashes() const {
  return telemetry_ ? telemetry_->summary().hashes : 0;
}

}  // namespace synthminer::daemon
