#include "daemon/mining_session.h"

#include <algorithm>

#include "stratum/work.h"

namespace synthminer::daemon {

MiningSession::MiningSession(boost::asio::io_context& io, MiningObserver& observer,
                             std::vector<MiningDevice> devices, scheduler::SchedulerOptions options)
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
    devices_.push_back(DeviceTotals{std::string(d.device->name())});
    scheduler_.add_device(std::move(d.device), d.options);
  }
}

stratum::Result<std::unique_ptr<MiningSession>> MiningSession::create(
    boost::asio::io_context& io, stratum::ClientOptions client_options,
    std::vector<MiningDevice> devices, scheduler::SchedulerOptions options,
    MiningObserver& observer) {
  if (devices.empty()) return stratum::Error{"no device to mine with"};
  auto session =
      std::make_unique<MiningSession>(io, observer, std::move(devices), std::move(options));
  auto client = stratum::Client::create(io, std::move(client_options), *session);
  if (!client) return stratum::Error{client.error()};
  session->client_ = std::move(client).value();
  return session;
}

MiningSession::~MiningSession() {
  // Workers must be gone before the members their reports would touch.
  scheduler_.stop();
  if (client_) client_->stop();
}

void MiningSession::start() {
  scheduler_.start();
  client_->start();
}

void MiningSession::stop(std::chrono::milliseconds drain) {
  if (stopped_) return;
  stopped_ = true;
  scheduler_.stop();
  // Reports posted before the workers stopped are still queued: run them
  // (their shares are submitted), then give the pool time to answer.
  const auto deadline = std::chrono::steady_clock::now() + drain;
  io_.restart();
  io_.poll();
  while (std::chrono::steady_clock::now() < deadline && share_stats().pending > 0) {
    io_.restart();
    io_.run_one_for(std::chrono::milliseconds(10));
  }
  client_->stop();
  io_.restart();
  io_.poll();
}

void MiningSession::on_job(const stratum::JobEvent& event) {
  if (stopped_) return;
  scheduler::JobInput input;
  input.job = event.job;
  input.extranonce = event.extranonce;
  input.share_target = event.share_target;
  input.version_mask = event.version_mask;
  input.session = event.session;
  job_sessions_.emplace_back(event.job.job_id, event.session);
  if (job_sessions_.size() > kJobSessionsKept) job_sessions_.pop_front();
  const uint64_t generation = scheduler_.set_job(std::move(input));
  if (event.job.clean_jobs) {
    clean_jobs_.emplace_back(generation, std::chrono::steady_clock::now());
    if (clean_jobs_.size() > kJobSessionsKept) clean_jobs_.pop_front();
  }
  observer_.on_job(event);
}

void MiningSession::on_share_result(const stratum::ShareResult& result) {
  observer_.on_share_result(result);
}

void MiningSession::on_connection_state(const stratum::ConnectionEvent& event) {
  // Without a pool there is nothing to mine for: shares would only queue.
  if (event.state == stratum::ConnectionState::kDisconnected) scheduler_.clear_job();
  observer_.on_connection(event);
}

void MiningSession::on_report(scheduler::WorkerReport report) {
  auto it = std::find_if(devices_.begin(), devices_.end(),
                         [&](const DeviceTotals& d) { return d.name == report.device; });
  if (it == devices_.end()) return;
  it->hashes += report.hashes;
  it->busy_seconds += report.seconds;
  ++it->batches;
  // The first batch of a new clean job on this device: how long the switch took.
  if (report.generation != it->last_generation) {
    it->last_generation = report.generation;
    for (const auto& [generation, at] : clean_jobs_) {
      if (generation == report.generation && report.started >= at) {
        job_switch_ms_.add(std::chrono::duration<double, std::milli>(report.started - at).count());
      }
    }
  }
  // Shares were submitted the moment they were found (on_found); here they
  // are only counted.
  for (const auto& v : report.candidates) {
    switch (v.fate) {
      case scheduler::CandidateFate::kShare:
        ++it->shares;
        break;
      case scheduler::CandidateFate::kHardwareError:
        ++it->hardware_errors;
        observer_.on_hardware_error(it->name, v.reason);
        break;
      case scheduler::CandidateFate::kStale:
        ++it->stale;
        break;
    }
  }
  observer_.on_batch(report);
}

void MiningSession::on_found(scheduler::FoundShare found) {
  const auto& v = found.verification;
  // With the session its job came from: the client judges whether it is
  // still worth sending (or counts it stale, with the reason).
  // A block goes ahead of every queued share (the observer logs it).
  client_->submit(*v.share, session_of(v.share->job_id), v.block);
  submit_ms_.add(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - found.found)
          .count());
  observer_.on_share_found(found.device, *v.share, stratum::hash_difficulty(v.hash), v.block);
}

uint64_t MiningSession::session_of(const std::string& job_id) const {
  for (auto it = job_sessions_.rbegin(); it != job_sessions_.rend(); ++it) {
    if (it->first == job_id) return it->second;
  }
  return 0;  // the latest session: the client will judge the job unknown
}

uint64_t MiningSession::total_hashes() const {
  uint64_t total = 0;
  for (const auto& d : devices_) total += d.hashes;
  return total;
}

stratum::ShareStats MiningSession::share_stats() const {
  return client_->share_totals();
}

}  // namespace synthminer::daemon
