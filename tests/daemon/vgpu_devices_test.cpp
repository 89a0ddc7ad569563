// The vgpu layer's extra devices in the daemon: work the cluster routes to a
// GPU runs on that GPU's mining worker (ahead of its next batch), small or
// incapable work stays on the CPU, and a GPU without a running worker still
// answers. The GPU here is a fake with a fast measured throughput and an
// executor that records where it ran; no CUDA is needed.
#include "daemon/vgpu_devices.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "vgpu/jarvis.h"

namespace synthminer::daemon {
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

// A GPU that claims 1 PFLOP/s of linalg and nothing else, and a fast link.
VgpuDevice fake_gpu(std::mutex& mutex, std::thread::id& ran_on) {
  VgpuDevice d;
  d.device.id = "gpu9";
  d.device.label = "fake GPU";
  d.device.kind = jarvis::DeviceKind::Gpu;
  d.device.capabilities = {jarvis::OperationKind::Linalg};
  d.device.throughput[jarvis::kind_index(jarvis::OperationKind::Linalg)] = 1e15;
  d.device.perf_score = 1e6;
  d.link = {1e-6, 1e12};
  d.worker = "cuda9";
  d.run = [&mutex, &ran_on](jarvis::OperationKind, const json&) {
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
    added_ = attach_vgpu_devices(jarvis_, scheduler_, {fake_gpu(mutex_, gpu_ran_on_)});
  }
  ~VgpuDevices() override { scheduler_.stop(); }

  // Submits through the scheduler's general queue, as VgpuService does.
  jarvis::SubmitResult submit(std::string_view kind, const json& payload) {
    std::promise<jarvis::SubmitResult> answer;
    scheduler_.submit_task([&] { answer.set_value(jarvis_.submit(kind, "test", payload)); });
    auto future = answer.get_future();
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    return future.get();
  }
  std::thread::id gpu_ran_on() {
    std::lock_guard lock(mutex_);
    return gpu_ran_on_;
  }

  scheduler::Scheduler scheduler_;
  jarvis::Jarvis5090X jarvis_{{jarvis::AdapterCluster::host_cpu()}, jarvis::JarvisConfig{}};
  std::mutex mutex_;
  std::thread::id gpu_ran_on_;
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

TEST_F(VgpuDevices, ADeviceAlreadyInTheClusterIsNotAddedTwice) {
  std::mutex other_mutex;
  std::thread::id other;
  EXPECT_TRUE(attach_vgpu_devices(jarvis_, scheduler_, {fake_gpu(other_mutex, other)}).empty());
  EXPECT_EQ(jarvis_.cluster().devices().size(), 2u);
}

}  // namespace
}  // namespace synthminer::daemon
