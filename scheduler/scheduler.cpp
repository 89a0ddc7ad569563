#include "scheduler/scheduler.h"

namespace synthminer::scheduler {

Scheduler::Scheduler(SchedulerOptions options, ReportCallback report, ShareCallback on_share)
    : precompute_(options.precompute_capacity),
      verifier_(generation_, options.health),
      shared_{precompute_,       space_,         generation_,        verifier_,
              std::move(report), options.timing, std::move(on_share)} {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::add_device(std::unique_ptr<ScanDevice> device, BatchSizerOptions sizing) {
  workers_.push_back(std::make_unique<CpuWorker>(std::move(device), sizing, shared_));
}

void Scheduler::start() {
  for (auto& worker : workers_) worker->start();
}

void Scheduler::stop() {
  for (auto& worker : workers_) worker->stop();
}

uint64_t Scheduler::set_job(JobInput input) {
  std::lock_guard lock(job_mutex_);
  input.generation = generation_.on_job(input.job.clean_jobs);
  const uint64_t generation = input.generation;
  space_.set_job(precompute_.set_job(std::move(input)));
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

}  // namespace synthminer::scheduler
