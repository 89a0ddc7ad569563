#include "scheduler/device_worker.h"

#include <pthread.h>
#include <sched.h>
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

// Failure (an offline CPU, a cgroup without it) only costs locality: the
// thread keeps running unpinned.
void pin_to_cpu(unsigned cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

}  // namespace

DeviceWorker::DeviceWorker(std::unique_ptr<ScanDevice> device, WorkerOptions options,
                           WorkerShared& shared)
    : device_(std::move(device)),
      options_(options),
      sizer_(options.sizing),
      shared_(shared),
      rate_(sizer_.rate()) {}

DeviceWorker::~DeviceWorker() {
  stop();
}

void DeviceWorker::start() {
  if (thread_.joinable()) return;
  // Attached before the thread runs, so tasks addressed to this device from
  // now on wait for it rather than run elsewhere.
  if (shared_.tasks) shared_.tasks->attach(std::string(device_->name()));
  thread_ = std::thread([this] { run(); });
}

void DeviceWorker::stop() {
  stop_.store(true, std::memory_order_release);
  if (!thread_.joinable()) return;
  thread_.join();
  // Addressed tasks it never took now run on their waiters' threads.
  if (shared_.tasks) shared_.tasks->detach(std::string(device_->name()));
}

void DeviceWorker::run() {
  // Hashing threads yield to the io thread: a share or a new job must not
  // wait for a scheduler tick while every core hashes. (Linux: per-thread
  // nice; failure only costs latency, so it is ignored.)
  if (options_.lowered_priority) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNice);
  }
  if (options_.pin_cpu) pin_to_cpu(*options_.pin_cpu);
  const std::string name(device_->name());
  // Sleeps in short slices so stop() never waits long.
  const auto nap = [this](double seconds) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (!stop_.load(std::memory_order_acquire) && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  };
  while (!stop_.load(std::memory_order_acquire)) {
    const bool allowed = task_allowed();
    if (allowed && run_task()) continue;
    const DeviceState state = shared_.verifier.device(name).state;
    // With nothing to mine, a task over the budget costs mining nothing.
    if (state == DeviceState::kDisabled || !run_batch()) {
      if (!allowed && run_task()) continue;
      nap(shared_.timing.idle_poll_seconds);
    } else if (state == DeviceState::kBackedOff) {
      nap(shared_.timing.backoff_seconds);
    }
  }
}

bool DeviceWorker::run_task() {
  if (!shared_.tasks) return false;
  auto task = shared_.tasks->pop(device_->name(), options_.runs_tasks);
  if (!task) return false;
  const auto start = Clock::now();
  (*task)();
  const double seconds = seconds_since(start);
  budget_.record_task(seconds);
  shared_.tasks->ran(device_->name(), seconds);
  return true;
}

bool DeviceWorker::task_allowed() const {
  if (!shared_.task_max_share) return true;
  return budget_.allows_task(shared_.task_max_share->load(std::memory_order_relaxed));
}

double DeviceWorker::piece_seconds() const {
  return options_.piece_seconds > 0 ? options_.piece_seconds : shared_.timing.sub_batch_seconds;
}

double DeviceWorker::stall_seconds(uint64_t nonces) const {
  const double expected = static_cast<double>(nonces) / std::max(sizer_.rate(), 1.0);
  return std::max(shared_.timing.stall_factor * expected, shared_.timing.min_stall_seconds);
}

bool DeviceWorker::run_batch() {
  const Batch batch = device_->rolls() > 1 ? shared_.space.take_roll_batch(sizer_.batch_nonces())
                                           : shared_.space.take_batch(sizer_.batch_nonces());
  if (batch.empty()) return false;
  const WorkUnit& first = batch.units.front();
  const auto job = shared_.precompute.current();
  // The job may have changed between the two calls; its work is gone then.
  if (!job || job->sequence != first.job_sequence) return true;
  // A plain batch is one midstate's; a roll batch has one per unit.
  std::vector<std::shared_ptr<const Midstate>> midstates;
  for (size_t i = 0; i < (batch.rolls ? batch.units.size() : 1); ++i) {
    midstates.push_back(shared_.precompute.midstate(*job, batch.units[i].midstate_id));
    if (!midstates.back()) return true;
  }
  const auto midstate_of = [&](const WorkUnit& unit) {
    for (const auto& m : midstates) {
      if (m->midstate_id == unit.midstate_id) return m.get();
    }
    return midstates.front().get();  // a plain batch: every unit is this midstate's
  };

  WorkerReport report;
  report.device = std::string(device_->name());
  report.job_id = first.job_id;
  report.generation = job->generation;
  report.midstate_id = first.midstate_id;
  report.batch_nonces = batch.nonces();
  const auto piece_nonces = std::max<uint64_t>(
      256, static_cast<uint64_t>(sizer_.rate() * piece_seconds()) / midstates.size());
  const auto start = Clock::now();
  report.started = start;
  lease_.begin(batch,
               start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(stall_seconds(report.batch_nonces))));
  for (auto pieces = lease_.next_pieces(piece_nonces); !pieces.empty();
       pieces = lease_.next_pieces(piece_nonces)) {
    if (stop_.load(std::memory_order_acquire) || shared_.generation.is_stale(report.generation)) {
      report.abandoned = true;
      break;
    }
    const hashcore::NonceRange range{pieces.front().nonce_start, pieces.front().nonce_count};
    std::vector<const Midstate*> piece_midstates;
    for (const WorkUnit& piece : pieces) piece_midstates.push_back(midstate_of(piece));
    std::vector<hashcore::ScanResult> results;
    if (batch.rolls) {
      results = device_->scan_rolls(piece_midstates, range);
    } else {
      results.push_back(device_->scan(*piece_midstates.front(), range));
    }
    if (const auto fault = device_->fault()) {
      // The pieces were not hashed: end() gives them back with the rest.
      shared_.verifier.disable_device(report.device, *fault);
      report.abandoned = true;
      break;
    }
    for (const auto& result : results) report.hashes += result.hashes;
    if (!lease_.finish_piece()) {
      // The stall monitor gave this piece to other devices: they will find
      // its candidates, so submitting them here would duplicate shares.
      report.stalled = true;
      break;
    }
    for (size_t i = 0; i < results.size(); ++i) {
      for (const uint32_t nonce : results[i].nonces) {
        if (report.candidates.size() >= shared_.timing.max_candidates_per_batch) {
          ++report.candidates_held_back;
          continue;
        }
        Verification v = shared_.verifier.verify(report.device, *piece_midstates[i], nonce);
        if (v.fate == CandidateFate::kShare && shared_.on_share) {
          shared_.on_share(
              FoundShare{report.device, v, Clock::now(), job_ref(*piece_midstates[i]->job)});
        }
        report.candidates.push_back(std::move(v));
      }
    }
  }
  // Ignored by the work space when a new job replaced this one.
  for (WorkUnit& unit : lease_.end()) shared_.space.give_back(std::move(unit));
  report.seconds = seconds_since(start);
  sizer_.record(report.hashes, report.seconds);
  budget_.record_mining(report.seconds);
  rate_.store(sizer_.rate(), std::memory_order_relaxed);
  report.state = shared_.verifier.device(report.device).state;
  shared_.report(std::move(report));
  return true;
}

}  // namespace synthminer::scheduler
