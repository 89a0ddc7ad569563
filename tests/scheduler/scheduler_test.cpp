// The Scheduler with its worker threads: devices of different speeds stay
// busy with batches near the target duration, a clean job abandons old
// work, real candidates verify, and a faulty device is disabled.
#include "scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include "test_jobs.h"

namespace synthminer::scheduler {
namespace {

using namespace std::chrono_literals;

// Hashes nothing: sleeps as long as `rate` nonces/s would take. With
// `claim_first`, claims the first nonce of every range as a candidate.
class FakeDevice : public ScanDevice {
 public:
  FakeDevice(std::string name, double rate, bool claim_first = false)
      : name_(std::move(name)), rate_(rate), claim_first_(claim_first) {}
  std::string_view name() const override { return name_; }
  hashcore::ScanResult scan(const Midstate&, hashcore::NonceRange range) override {
    std::this_thread::sleep_for(
        std::chrono::duration<double>(static_cast<double>(range.count) / rate_));
    hashcore::ScanResult result;
    result.hashes = range.count;
    if (claim_first_) result.nonces.push_back(range.start);
    return result;
  }

 private:
  std::string name_;
  double rate_;
  bool claim_first_;
};

// Collects reports from the worker threads.
class Reports {
 public:
  ReportCallback callback() {
    return [this](WorkerReport report) {
      std::lock_guard lock(mutex_);
      all_.push_back(std::move(report));
      changed_.notify_all();
    };
  }
  /// Waits up to `timeout` until `done(reports)` holds.
  template <typename Pred>
  bool wait_for(std::chrono::milliseconds timeout, Pred done) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return done(all_); });
  }
  std::vector<WorkerReport> snapshot() {
    std::lock_guard lock(mutex_);
    return all_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<WorkerReport> all_;
};

size_t count_of(const std::vector<WorkerReport>& reports, std::string_view device) {
  return static_cast<size_t>(std::count_if(reports.begin(), reports.end(),
                                           [&](const auto& r) { return r.device == device; }));
}

BatchSizerOptions quick_sizing(double target_seconds, double initial_rate) {
  BatchSizerOptions options;
  options.target_seconds = target_seconds;
  options.time_constant_s = 0.1;
  options.initial_rate = initial_rate;
  options.min_nonces = 256;
  options.max_nonces = uint64_t{1} << 32;
  return options;
}

TEST(Scheduler, FastAndSlowDevicesStayBusyNearTheTargetDuration) {
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  scheduler.add_device(std::make_unique<FakeDevice>("fast", 4e8), quick_sizing(0.02, 1e6));
  scheduler.add_device(std::make_unique<FakeDevice>("slow", 2e7), quick_sizing(0.02, 1e6));
  scheduler.start();
  scheduler.set_job(testing::test_job());
  std::this_thread::sleep_for(1200ms);
  scheduler.stop();

  const auto all = reports.snapshot();
  EXPECT_GE(count_of(all, "fast"), 10u);
  EXPECT_GE(count_of(all, "slow"), 10u);
  std::map<std::string, std::vector<const WorkerReport*>> by_device;
  for (const auto& report : all)
    if (!report.abandoned) by_device[report.device].push_back(&report);
  for (const auto& [device, list] : by_device) {
    ASSERT_GE(list.size(), 5u) << device;
    std::vector<double> last;
    for (size_t i = list.size() - 5; i < list.size(); ++i) last.push_back(list[i]->seconds);
    std::sort(last.begin(), last.end());
    // Generous: the target is 20 ms, the start guessed 1 MH/s (1 ms or 50 ms).
    EXPECT_GT(last[2], 0.005) << device;
    EXPECT_LT(last[2], 0.150) << device;
  }
  EXPECT_GT(by_device["fast"].back()->batch_nonces, 3 * by_device["slow"].back()->batch_nonces);
  const auto rates = scheduler.rates();
  EXPECT_GT(rates[0], rates[1]);
}

TEST(Scheduler, ACleanJobAbandonsTheBatchInFlight) {
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  // 300 ms batches at 1 MH/s: the switch lands mid-batch.
  scheduler.add_device(std::make_unique<FakeDevice>("dev", 1e6), quick_sizing(0.3, 1e6));
  scheduler.start();
  const uint64_t first = scheduler.set_job(testing::test_job("a"));
  std::this_thread::sleep_for(50ms);
  const uint64_t second = scheduler.set_job(testing::test_job("b", 4, 0, true));
  EXPECT_EQ(second, first + 1);
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) {
    return std::any_of(all.begin(), all.end(), [](const auto& r) { return r.job_id == "b"; });
  }));
  scheduler.stop();
  const auto all = reports.snapshot();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().job_id, "a");
  EXPECT_TRUE(all.front().abandoned);
  EXPECT_LT(all.front().hashes, all.front().batch_nonces);
  for (const auto& report : all)
    if (report.job_id == "b") {
      EXPECT_EQ(report.generation, second);
    }
}

TEST(Scheduler, CandidatesOfARealBackendVerifyAsShares) {
  const hashcore::Backend* scalar = hashcore::find_backend("scalar");
  ASSERT_NE(scalar, nullptr);
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  scheduler.add_device(std::make_unique<BackendDevice>("cpu0", *scalar), quick_sizing(0.02, 1e5));
  scheduler.start();
  scheduler.set_job(testing::test_job("j", 4, 0x1fffe000));
  const auto shares = [](const std::vector<WorkerReport>& all) {
    size_t found = 0;
    for (const auto& report : all) found += report.candidates.size();
    return found;
  };
  EXPECT_TRUE(reports.wait_for(10000ms, [&](const auto& all) { return shares(all) >= 3; }));
  scheduler.stop();
  for (const auto& report : reports.snapshot())
    for (const auto& candidate : report.candidates) {
      EXPECT_EQ(candidate.fate, CandidateFate::kShare) << candidate.reason;
      EXPECT_EQ(candidate.share->job_id, "j");
    }
  EXPECT_EQ(scheduler.verifier().stats().hardware_errors, 0u);
  EXPECT_GE(scheduler.precompute_stats().misses, 1u);
}

TEST(Scheduler, ABatchVerifiesAtMostItsCandidateCapAndCountsTheRest) {
  const hashcore::Backend* scalar = hashcore::find_backend("scalar");
  ASSERT_NE(scalar, nullptr);
  Reports reports;
  SchedulerOptions options;
  options.timing.max_candidates_per_batch = 4;
  Scheduler scheduler(options, reports.callback());
  scheduler.add_device(std::make_unique<BackendDevice>("cpu0", *scalar), quick_sizing(0.02, 1e4));
  scheduler.start();
  protocol::WorkItem flood = testing::test_job("j");
  flood.share_target = hashcore::Target::max();  // every nonce is a candidate
  scheduler.set_job(flood);
  EXPECT_TRUE(reports.wait_for(10000ms, [](const auto& all) {
    return std::any_of(all.begin(), all.end(),
                       [](const WorkerReport& r) { return r.candidates_held_back > 0; });
  }));
  scheduler.stop();
  for (const auto& report : reports.snapshot()) {
    EXPECT_LE(report.candidates.size(), 4u);
    // Nothing vanishes: each nonce hashed was verified or counted as held back.
    if (!report.abandoned && !report.stalled) {
      EXPECT_EQ(report.candidates.size() + report.candidates_held_back, report.hashes);
    }
    for (const auto& candidate : report.candidates) {
      EXPECT_EQ(candidate.fate, CandidateFate::kShare) << candidate.reason;
    }
  }
  EXPECT_EQ(scheduler.verifier().stats().hardware_errors, 0u);
}

// A CPU backend posing as a device that hashes version rolls together, as a
// GPU does (the default ScanDevice::scan_rolls, one roll after another).
class RollingDevice : public BackendDevice {
 public:
  using BackendDevice::BackendDevice;
  unsigned rolls() const override { return kMaxVersionRolls; }
};

TEST(Scheduler, ARollingDeviceFindsSharesOfEveryRollBesideAPlainOne) {
  const hashcore::Backend* scalar = hashcore::find_backend("scalar");
  ASSERT_NE(scalar, nullptr);
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  scheduler.add_device(std::make_unique<RollingDevice>("gpu0", *scalar), quick_sizing(0.02, 1e5));
  scheduler.add_device(std::make_unique<BackendDevice>("cpu0", *scalar), quick_sizing(0.02, 1e5));
  scheduler.start();
  scheduler.set_job(testing::test_job("j", 4, 0x1fffe000));
  const auto versions_of = [](const std::vector<WorkerReport>& all, std::string_view device) {
    std::set<uint32_t> versions;
    for (const auto& report : all)
      if (report.device == device)
        for (const auto& c : report.candidates)
          if (c.share) versions.insert(c.share->version_bits.value_or(0));
    return versions;
  };
  EXPECT_TRUE(reports.wait_for(20000ms, [&](const auto& all) {
    return versions_of(all, "gpu0").size() >= 4 && !versions_of(all, "cpu0").empty();
  }));
  scheduler.stop();
  std::set<std::tuple<std::vector<uint8_t>, uint32_t, uint32_t>> seen;
  for (const auto& report : reports.snapshot()) {
    for (const auto& candidate : report.candidates) {
      EXPECT_EQ(candidate.fate, CandidateFate::kShare) << candidate.reason;
      ASSERT_TRUE(candidate.share);
      const auto& share = *candidate.share;
      EXPECT_TRUE(
          seen.insert({share.extranonce2, share.version_bits.value_or(0), share.nonce}).second)
          << "found twice: nonce " << candidate.share->nonce;
    }
  }
  // A roll's candidate checked against another roll's midstate would be one.
  EXPECT_EQ(scheduler.verifier().stats().hardware_errors, 0u);
}

TEST(Scheduler, AFaultyDeviceIsDisabledAndGetsNoMoreWork) {
  SchedulerOptions options;
  options.health = HealthPolicy{20, 5, 0.05, 0.5};
  Reports reports;
  Scheduler scheduler(options, reports.callback());
  scheduler.add_device(std::make_unique<FakeDevice>("bad", 1e7, true), quick_sizing(0.02, 1e6));
  scheduler.start();
  protocol::WorkItem job = testing::test_job();
  job.share_target = hashcore::Target{};  // no hash meets it: every claim is wrong
  scheduler.set_job(job);
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) {
    return !all.empty() && all.back().state == DeviceState::kDisabled;
  }));
  const size_t seen = reports.snapshot().size();
  std::this_thread::sleep_for(100ms);
  scheduler.stop();
  EXPECT_EQ(reports.snapshot().size(), seen);
  const auto report = scheduler.verifier().device("bad");
  EXPECT_EQ(report.state, DeviceState::kDisabled);
  EXPECT_FALSE(report.reason.empty());
  EXPECT_GE(report.hardware_errors, 5u);
}

// Records every range it scans; the first scan hangs for `hang`.
class RecordingDevice : public ScanDevice {
 public:
  RecordingDevice(std::string name, double rate, std::chrono::milliseconds hang)
      : name_(std::move(name)), rate_(rate), hang_(hang) {}
  std::string_view name() const override { return name_; }
  hashcore::ScanResult scan(const Midstate& midstate, hashcore::NonceRange range) override {
    {
      std::lock_guard lock(mutex_);
      ranges_.emplace_back(midstate.midstate_id, range);
    }
    if (first_.exchange(false)) std::this_thread::sleep_for(hang_);
    std::this_thread::sleep_for(
        std::chrono::duration<double>(static_cast<double>(range.count) / rate_));
    return {range.count, {}};
  }
  std::vector<std::pair<uint64_t, hashcore::NonceRange>> ranges() {
    std::lock_guard lock(mutex_);
    return ranges_;
  }

 private:
  std::string name_;
  double rate_;
  std::chrono::milliseconds hang_;
  std::atomic<bool> first_{true};
  std::mutex mutex_;
  std::vector<std::pair<uint64_t, hashcore::NonceRange>> ranges_;
};

TEST(Scheduler, AStalledBatchIsHashedByTheOtherDevices) {
  SchedulerOptions options;
  options.timing.min_stall_seconds = 0.1;
  std::mutex stall_mutex;
  std::vector<StallEvent> stalls;
  Reports reports;
  Scheduler scheduler(options, reports.callback(), {}, [&](StallEvent event) {
    std::lock_guard lock(stall_mutex);
    stalls.push_back(std::move(event));
  });
  auto hanging = std::make_unique<RecordingDevice>("hang", 1e7, 1500ms);
  auto healthy = std::make_unique<RecordingDevice>("ok", 1e7, 0ms);
  RecordingDevice* hang = hanging.get();
  RecordingDevice* ok = healthy.get();
  scheduler.add_device(std::move(hanging), quick_sizing(0.02, 1e7));
  scheduler.add_device(std::move(healthy), quick_sizing(0.02, 1e7));
  scheduler.start();
  scheduler.set_job(testing::test_job());
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) {
    return std::any_of(all.begin(), all.end(), [](const auto& r) { return r.stalled; });
  }));
  // Let the healthy device work through what was given back.
  std::this_thread::sleep_for(200ms);
  scheduler.stop();

  {
    std::lock_guard lock(stall_mutex);
    // (Only "hang" should stall; a loaded test machine may delay "ok" too.)
    ASSERT_FALSE(stalls.empty());
    EXPECT_EQ(stalls[0].device, "hang");
    EXPECT_GT(stalls[0].nonces, 0u);
  }
  EXPECT_GE(scheduler.device_statuses()[0].stalls, 1u);
  // The piece the hanging device sat on was hashed again by the other one.
  const auto stuck = hang->ranges().front();
  const auto redone = ok->ranges();
  EXPECT_TRUE(std::any_of(redone.begin(), redone.end(),
                          [&](const auto& r) {
                            return r.first == stuck.first && r.second.start <= stuck.second.start &&
                                   stuck.second.start < r.second.start + r.second.count;
                          }))
      << "nonce " << stuck.second.start << " of midstate " << stuck.first << " was not redone";
  // The stalled device went on mining afterwards (retried, not dropped).
  EXPECT_GT(hang->ranges().size(), 1u);
}

TEST(Scheduler, ReconfigureReplacesDevicesAndKeepsTheJobGoing) {
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  auto first = std::make_unique<RecordingDevice>("a", 1e7, 0ms);
  RecordingDevice* a = first.get();
  scheduler.add_device(std::move(first), quick_sizing(0.01, 1e7));
  scheduler.start();
  scheduler.set_job(testing::test_job());
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) { return all.size() >= 3; }));

  std::vector<std::pair<std::unique_ptr<ScanDevice>, WorkerOptions>> devices;
  auto second = std::make_unique<RecordingDevice>("b", 1e7, 0ms);
  RecordingDevice* b = second.get();
  devices.emplace_back(std::move(second), WorkerOptions{quick_sizing(0.01, 1e7), {}, true});
  SchedulerOptions options;
  options.timing.stall_factor = 9;
  scheduler.reconfigure(std::move(devices), options);
  const size_t a_scans = a->ranges().size();
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) { return count_of(all, "b") >= 3; }));
  scheduler.stop();

  ASSERT_EQ(scheduler.device_statuses().size(), 1u);
  EXPECT_EQ(scheduler.device_statuses()[0].name, "b");
  EXPECT_EQ(a->ranges().size(), a_scans);  // the old worker is gone
  // The same job's nonce space goes on: b never repeats a range a hashed.
  const auto before = a->ranges();
  for (const auto& [midstate, range] : b->ranges())
    for (const auto& [old_midstate, old_range] : before)
      if (midstate == old_midstate) {
        EXPECT_FALSE(range.start < old_range.start + old_range.count &&
                     old_range.start < range.start + range.count)
            << "overlap at nonce " << range.start;
      }
}

TEST(Scheduler, WorkRoutedToAGpuRunsOnItsWorkerAndTheCpuTakesTheRequest) {
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  // The GPU's worker takes no general tasks (its thread feeds the GPU).
  scheduler.add_device(std::make_unique<FakeDevice>("gpu0", 1e7),
                       WorkerOptions{quick_sizing(0.01, 1e7), {}, false});
  scheduler.add_device(std::make_unique<FakeDevice>("cpu0", 1e6),
                       WorkerOptions{quick_sizing(0.01, 1e6), {}, true});
  scheduler.start();
  scheduler.set_job(testing::test_job());

  // A vgpu request: general, so the CPU worker takes it; the part routed to
  // the GPU runs on the GPU's worker, ahead of its next mining batch.
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false, on_gpu = false;
  std::thread::id request_thread, gpu_thread;
  scheduler.submit_task([&] {
    std::thread::id ran_on;
    const bool by_worker =
        scheduler.run_on_device("gpu0", [&] { ran_on = std::this_thread::get_id(); });
    std::lock_guard lock(mutex);
    request_thread = std::this_thread::get_id();
    gpu_thread = ran_on;
    on_gpu = by_worker;
    done = true;
    finished.notify_all();
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(finished.wait_for(lock, 5000ms, [&] { return done; }));
  }
  // Mining went on around it.
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) { return count_of(all, "gpu0") >= 2; }));
  scheduler.stop();
  EXPECT_TRUE(on_gpu);
  EXPECT_NE(gpu_thread, request_thread);
  EXPECT_EQ(scheduler.queued_tasks(), 0u);
  // Once stopped, the same call runs on the caller: nothing waits forever.
  std::thread::id after;
  EXPECT_FALSE(scheduler.run_on_device("gpu0", [&] { after = std::this_thread::get_id(); }));
  EXPECT_EQ(after, std::this_thread::get_id());
}

TEST(Scheduler, AWorkerWithLongPiecesScansEachBatchAtOnce) {
  Reports reports;
  Scheduler scheduler({}, reports.callback());
  auto recorder = std::make_unique<RecordingDevice>("gpu0", 1e8, 0ms);
  RecordingDevice& device = *recorder;
  WorkerOptions options{quick_sizing(0.02, 1e8), std::nullopt, false};
  options.piece_seconds = 0.04;  // twice the batch target, as device_setup gives a GPU
  scheduler.add_device(std::move(recorder), options);
  scheduler.start();
  scheduler.set_job(testing::test_job());
  ASSERT_TRUE(reports.wait_for(5000ms, [](const auto& all) { return all.size() >= 10; }));
  scheduler.stop();
  const auto all = reports.snapshot();
  const auto ranges = device.ranges();
  // One scan per batch (the default 5 ms pieces would make four of a 20 ms batch).
  size_t complete = 0;
  for (const auto& report : all) complete += report.abandoned || report.stalled ? 0 : 1;
  EXPECT_LE(ranges.size(), all.size() + 1);
  EXPECT_GE(complete, 9u);
  for (size_t i = 0; i < std::min(ranges.size(), all.size()); ++i) {
    EXPECT_EQ(ranges[i].second.count, all[i].batch_nonces) << "batch " << i;
  }
}

}  // namespace
}  // namespace synthminer::scheduler
