#include "scheduler/scheduler.h"

namespace synthminer::scheduler {

Scheduler::Scheduler(SchedulerOptions options, ReportCallback report, ShareCallback on_share,
                     StallCallback on_stall)
    : precompute_(options.precompute_capacity),
      verifier_(generation_, options.health),
      shared_{precompute_,       space_,         generation_,         verifier_,
              std::move(report), options.timing, std::move(on_share), &tasks_,
              &task_max_share_},
      on_stall_(std::move(on_stall)) {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::add_device(std::unique_ptr<ScanDevice> device, WorkerOptions options) {
  workers_.push_back(std::make_unique<DeviceWorker>(std::move(device), options, shared_));
}

void Scheduler::start() {
  running_ = true;
  {
    std::lock_guard lock(monitor_mutex_);
    monitor_stop_ = false;
  }
  for (auto& worker : workers_) worker->start();
  if (!monitor_.joinable()) monitor_ = std::thread([this] { monitor_stalls(); });
}

void Scheduler::stop() {
  running_ = false;
  {
    std::lock_guard lock(monitor_mutex_);
    monitor_stop_ = true;
  }
  monitor_wake_.notify_all();
  if (monitor_.joinable()) monitor_.join();
  for (auto& worker : workers_) worker->stop();
}

void Scheduler::reconfigure(
    std::vector<std::pair<std::unique_ptr<ScanDevice>, WorkerOptions>> devices,
    SchedulerOptions options) {
  const bool was_running = running_;
  stop();
  workers_.clear();
  // Safe: no worker or monitor runs now.
  shared_.timing = options.timing;
  verifier_.set_policy(options.health);
  for (auto& [device, worker_options] : devices) add_device(std::move(device), worker_options);
  if (was_running) start();
}

void Scheduler::monitor_stalls() {
  const auto tick = std::chrono::duration<double>(shared_.timing.stall_check_seconds);
  std::unique_lock lock(monitor_mutex_);
  while (!monitor_wake_.wait_for(lock, tick, [this] { return monitor_stop_; })) {
    const auto now = BatchLease::Clock::now();
    for (auto& worker : workers_) {
      auto units = worker->revoke_if_stalled(now);
      if (units.empty()) continue;
      StallEvent event{std::string(worker->name()), 0};
      for (WorkUnit& unit : units) {
        event.nonces += unit.nonce_count;
        space_.give_back(std::move(unit));
      }
      worker->count_stall();
      if (on_stall_) on_stall_(std::move(event));
    }
  }
}

uint64_t Scheduler::set_job(protocol::WorkItem work, uint64_t first_extranonce2) {
  std::lock_guard lock(job_mutex_);
  const uint64_t generation = generation_.on_job(work.job.clean_jobs);
  space_.set_job(precompute_.set_job(std::move(work), generation, first_extranonce2));
  return generation;
}

void Scheduler::clear_job() {
  std::lock_guard lock(job_mutex_);
  generation_.on_job(true);
  precompute_.clear();
  space_.set_job(nullptr);
}

std::vector<double> Scheduler::rates() const {
  std::vector<double> rates;
  for (const auto& worker : workers_) rates.push_back(worker->rate());
  return rates;
}

std::vector<DeviceStatus> Scheduler::device_statuses() const {
  std::vector<DeviceStatus> statuses;
  for (const auto& worker : workers_) {
    const std::string name(worker->name());
    statuses.push_back({name, worker->rate(), worker->stalls(), verifier_.device(name)});
  }
  return statuses;
}

}  // namespace synthminer::scheduler
