#include "scheduler/cpu_worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace synthminer::scheduler {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kWorkerNice = 10;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

CpuWorker::CpuWorker(std::unique_ptr<ScanDevice> device, BatchSizerOptions sizing,
                     WorkerShared& shared)
    : device_(std::move(device)), sizer_(sizing), shared_(shared), rate_(sizer_.rate()) {}

CpuWorker::~CpuWorker() {
  stop();
}

void CpuWorker::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void CpuWorker::stop() {
  stop_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

void CpuWorker::run() {
  // Hashing threads yield to the io thread: a share or a new job must not
  // wait for a scheduler tick while every core hashes. (Linux: per-thread
  // nice; failure only costs latency, so it is ignored.)
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNice);
  const std::string name(device_->name());
  // Sleeps in short slices so stop() never waits long.
  const auto nap = [this](double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (!stop_.load(std::memory_order_acquire) && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  while (!stop_.load(std::memory_order_acquire)) {
    const DeviceState state = shared_.verifier.device(name).state;
    if (state == DeviceState::kDisabled) {
      nap(shared_.timing.idle_poll_seconds);
    } else if (!run_batch()) {
      nap(shared_.timing.idle_poll_seconds);
    } else if (state == DeviceState::kBackedOff) {
      nap(shared_.timing.backoff_seconds);
    }
  }
}

bool CpuWorker::run_batch() {
  const Batch batch = shared_.space.take_batch(sizer_.batch_nonces());
  if (batch.empty()) return false;
  const WorkUnit& first = batch.units.front();
  const auto job = shared_.precompute.current();
  // The job may have changed between the two calls; its work is gone then.
  if (!job || job->sequence != first.job_sequence) return true;
  const auto midstate = shared_.precompute.midstate(*job, first.midstate_id);
  if (!midstate) return true;

  WorkerReport report;
  report.device = std::string(device_->name());
  report.job_id = first.job_id;
  report.generation = job->input.generation;
  report.midstate_id = first.midstate_id;
  report.batch_nonces = batch.nonces();
  const auto sub_batch = std::max<uint64_t>(
      256, static_cast<uint64_t>(sizer_.rate() * shared_.timing.sub_batch_seconds));
  const auto start = Clock::now();
  report.started = start;
  for (size_t i = 0; i < batch.units.size(); ++i) {
    WorkUnit unit = batch.units[i];
    while (unit.nonce_count > 0) {
      if (stop_.load(std::memory_order_acquire) || shared_.generation.is_stale(report.generation)) {
        report.abandoned = true;
        // Ignored by the work space when a new job replaced this one.
        shared_.space.give_back(unit);
        for (size_t rest = i + 1; rest < batch.units.size(); ++rest)
          shared_.space.give_back(batch.units[rest]);
        i = batch.units.size();
        break;
      }
      const uint64_t count = std::min(sub_batch, unit.nonce_count);
      const auto result = device_->scan(*midstate, {unit.nonce_start, count});
      report.hashes += result.hashes;
      for (const uint32_t nonce : result.nonces) {
        Verification v = shared_.verifier.verify(report.device, *midstate, nonce);
        if (v.fate == CandidateFate::kShare && shared_.on_share) {
          shared_.on_share(FoundShare{report.device, v, Clock::now()});
        }
        report.candidates.push_back(std::move(v));
      }
      if (count == unit.nonce_count) break;
      unit = split(unit, count).second;
    }
  }
  report.seconds = seconds_since(start);
  sizer_.record(report.hashes, report.seconds);
  rate_.store(sizer_.rate(), std::memory_order_relaxed);
  report.state = shared_.verifier.device(report.device).state;
  shared_.report(std::move(report));
  return true;
}

}  // namespace synthminer::scheduler
