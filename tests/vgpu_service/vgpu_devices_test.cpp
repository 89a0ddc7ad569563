// The vgpu layer's extra devices in the daemon: work the cluster routes to a
// GPU runs on that GPU's mining worker (ahead of its next batch) and no CPU
// worker waits for it, small or incapable work stays on the CPU, and a GPU
// without a running worker still answers, once. The GPU here is a fake with
// a fast measured throughput and an executor that records where it ran; no
// CUDA is needed.
#include "vgpu_service/vgpu_devices.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "vgpu/jarvis.h"

namespace synthminer::vgpu_service {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Mines nothing: each scan sleeps 1 ms and notes the worker's thread.
class IdleDevice : public scheduler::ScanDevice {
 public:
  explicit IdleDevice(std::string name) : name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  hashcore::ScanResult scan(const scheduler::Midstate&, hashcore::NonceRange range) override {
    std::this_thread::sleep_for(1ms);
    return hashcore::ScanResult{range.count, {}};
  }

 private:
  std::string name_;
};

// A GPU that claims 1 PFLOP/s of linalg and nothing else, and a fast link;
// `on_run` (if any) runs inside each task, on the thread that runs it.
VgpuDevice fake_gpu(std::mutex& mutex, std::thread::id& ran_on, std::function<void()> on_run = {}) {
  VgpuDevice d;
  d.device.id = "gpu9";
  d.device.label = "fake GPU";
  d.device.kind = jarvis::DeviceKind::Gpu;
  d.device.capabilities = {jarvis::OperationKind::Linalg};
  d.device.throughput[jarvis::kind_index(jarvis::OperationKind::Linalg)] = 1e15;
  d.device.perf_score = 1e6;
  d.link = {1e-6, 1e12};
  d.worker = "cuda9";
  d.run = [&mutex, &ran_on, on_run](jarvis::OperationKind, const json&, jarvis::TensorStore*,
                                    const jarvis::StopToken&) {
    if (on_run) on_run();
    std::lock_guard lock(mutex);
    ran_on = std::this_thread::get_id();
    return jarvis::OpResult::success(json{{"value", {42.0}}, {"device", "gpu9"}}, 1000);
  };
  return d;
}

json square_matmul(int n) {
  json row = json::array();
  for (int c = 0; c < n; ++c) row.push_back(1.0);
  json matrix = json::array();
  for (int r = 0; r < n; ++r) matrix.push_back(row);
  return json{{"operation", "matmul"}, {"matrix", matrix}, {"other", matrix}};
}

class VgpuDevices : public ::testing::Test {
 protected:
  VgpuDevices() : scheduler_({}, [](scheduler::WorkerReport) {}) {
    scheduler::WorkerOptions gpu_options;
    gpu_options.runs_tasks = false;  // as device_setup makes a CUDA worker
    scheduler_.add_device(std::make_unique<IdleDevice>("cuda9"), gpu_options);
    scheduler_.add_device(std::make_unique<IdleDevice>("cpu_0"), scheduler::WorkerOptions{});
    added_ = dispatch_.attach({fake_gpu(mutex_, gpu_ran_on_, [this] { gpu_gate(); })});
  }
  ~VgpuDevices() override {
    open_gpu_gate();
    scheduler_.stop();
  }

  // Submits through the scheduler's general queue, as VgpuService does: a
  // CPU worker routes it, then it runs where it was routed.
  std::future<jarvis::SubmitResult> submit_async(std::string_view kind, const json& payload) {
    auto answer = std::make_shared<std::promise<jarvis::SubmitResult>>();
    scheduler_.submit_task([this, kind, &payload, answer] {
      dispatch_.submit(kind, "test", payload, [answer](jarvis::SubmitResult result) {
        answer->set_value(std::move(result));  // a second answer would throw
      });
    });
    return answer->get_future();
  }
  jarvis::SubmitResult submit(std::string_view kind, const json& payload) {
    auto future = submit_async(kind, payload);
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    return future.get();
  }
  std::thread::id gpu_ran_on() {
    std::lock_guard lock(mutex_);
    return gpu_ran_on_;
  }
  // The fake GPU's tasks wait here while the gate is closed.
  void gpu_gate() {
    std::unique_lock lock(gate_mutex_);
    ++gpu_runs_;
    gate_changed_.notify_all();
    gate_changed_.wait(lock, [this] { return gate_open_; });
  }
  void close_gpu_gate() {
    std::lock_guard lock(gate_mutex_);
    gate_open_ = false;
  }
  void open_gpu_gate() {
    {
      std::lock_guard lock(gate_mutex_);
      gate_open_ = true;
    }
    gate_changed_.notify_all();
  }
  bool wait_gpu_runs(int runs) {
    std::unique_lock lock(gate_mutex_);
    return gate_changed_.wait_for(lock, 10s, [&] { return gpu_runs_ >= runs; });
  }
  int gpu_runs() {
    std::lock_guard lock(gate_mutex_);
    return gpu_runs_;
  }

  scheduler::Scheduler scheduler_;
  jarvis::Jarvis5090X jarvis_{{jarvis::AdapterCluster::host_cpu()}, jarvis::JarvisConfig{}};
  VgpuDispatch dispatch_{jarvis_, scheduler_};
  std::mutex mutex_;
  std::thread::id gpu_ran_on_;
  std::mutex gate_mutex_;
  std::condition_variable gate_changed_;
  bool gate_open_ = true;  // guarded by gate_mutex_
  int gpu_runs_ = 0;       // guarded by gate_mutex_
  std::vector<std::string> added_;
};

TEST_F(VgpuDevices, ABigProductRunsOnTheGpuWorkerThread) {
  ASSERT_EQ(added_, std::vector<std::string>{"gpu9"});
  scheduler_.start();
  // Find the GPU worker's thread: a task addressed to it reports its id.
  std::thread::id worker_thread;
  ASSERT_TRUE(
      scheduler_.run_on_device("cuda9", [&] { worker_thread = std::this_thread::get_id(); }));

  const auto result = submit("linalg", square_matmul(160));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.device, "gpu9");
  EXPECT_EQ(result.result["value"][0], 42.0);
  EXPECT_EQ(gpu_ran_on(), worker_thread);
}

TEST_F(VgpuDevices, TinyAndIncapableWorkStaysOnTheCpu) {
  scheduler_.start();
  const auto tiny = submit(
      "linalg", json{{"matrix", {1.0, 2.0}}, {"vector", {3.0, 4.0}}, {"operation", "matmul"}});
  ASSERT_TRUE(tiny.ok) << tiny.error;
  EXPECT_EQ(tiny.device, "cpu_main");
  EXPECT_EQ(tiny.result["value"], json::array({11.0}));
  const auto sum =
      submit("generic", json{{"operation", "sum"}, {"values", std::vector<double>(100000, 1.0)}});
  ASSERT_TRUE(sum.ok) << sum.error;
  EXPECT_EQ(sum.device, "cpu_main");
  EXPECT_EQ(gpu_ran_on(), std::thread::id{}) << "the GPU ran work it cannot do";
}

TEST_F(VgpuDevices, AGpuWithoutARunningWorkerStillAnswers) {
  // The scheduler never starts (as after a reload that removed the GPU):
  // the caller's thread runs the task on the device itself.
  const auto result = jarvis_.submit("linalg", "test", square_matmul(160));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.device, "gpu9");
  EXPECT_EQ(gpu_ran_on(), std::this_thread::get_id());
}

TEST_F(VgpuDevices, AGpuTaskLeavesNoCpuWorkerWaitingForIt) {
  scheduler_.start();
  std::thread::id worker_thread;
  ASSERT_TRUE(
      scheduler_.run_on_device("cuda9", [&] { worker_thread = std::this_thread::get_id(); }));
  close_gpu_gate();
  const json big = square_matmul(160);
  auto gpu_answer = submit_async("linalg", big);
  ASSERT_TRUE(wait_gpu_runs(1)) << "the GPU never started the task";
  // The GPU holds its task; the only CPU worker is free for other work.
  const auto cpu = submit(
      "linalg", json{{"matrix", {1.0, 2.0}}, {"vector", {3.0, 4.0}}, {"operation", "matmul"}});
  ASSERT_TRUE(cpu.ok) << cpu.error;
  EXPECT_EQ(cpu.device, "cpu_main");
  EXPECT_EQ(gpu_answer.wait_for(0s), std::future_status::timeout);
  open_gpu_gate();
  ASSERT_EQ(gpu_answer.wait_for(10s), std::future_status::ready);
  const auto result = gpu_answer.get();
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.device, "gpu9");
  EXPECT_EQ(gpu_ran_on(), worker_thread);
  EXPECT_EQ(gpu_runs(), 1);
}

TEST_F(VgpuDevices, AGpuTaskWhoseWorkerIsGoneRunsOnceOnACpuWorker) {
  // No worker runs yet (as after a reload that removed the GPU): routed to
  // the GPU, the task waits in the general queue for a CPU worker.
  std::atomic<int> answers{0};
  std::promise<jarvis::SubmitResult> answer;
  const json payload = square_matmul(160);
  dispatch_.submit("linalg", "test", payload, [&](jarvis::SubmitResult result) {
    if (answers.fetch_add(1) == 0) answer.set_value(std::move(result));
  });
  EXPECT_EQ(answers.load(), 0);
  EXPECT_EQ(scheduler_.queued_tasks(), 1u);
  scheduler_.start();
  auto future = answer.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  const auto result = future.get();
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.device, "gpu9");
  EXPECT_NE(gpu_ran_on(), std::this_thread::get_id());
  std::this_thread::sleep_for(50ms);  // time for a second run, if there were one
  EXPECT_EQ(answers.load(), 1);
  EXPECT_EQ(gpu_runs(), 1);
  EXPECT_EQ(scheduler_.queued_tasks(), 0u);
}

TEST_F(VgpuDevices, ADeviceAlreadyInTheClusterIsNotAddedTwice) {
  std::mutex other_mutex;
  std::thread::id other;
  EXPECT_TRUE(dispatch_.attach({fake_gpu(other_mutex, other)}).empty());
  EXPECT_EQ(jarvis_.cluster().devices().size(), 2u);
}

}  // namespace
}  // namespace synthminer::vgpu_service
