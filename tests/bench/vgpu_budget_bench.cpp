// vgpu_budget_bench: the mining hash rate with no vgpu work, then under a
// steady stream of vgpu requests, at each budget given (vgpu.max_share).
// The daemon's own parts in one process: the CPU workers build_devices makes
// from the default config (the real hashing backend), the Scheduler, and
// VgpuService::run_body (parse, route, run, answer, as POST /1/vgpu/submit
// does). A client keeps `inflight` requests queued at all times, each a
// cache miss (a new signature), so the workers always have vgpu work to take.
//
// usage: vgpu_budget_bench [seconds per phase = 5] [matmul n = 256]
//                          [rounds = 1] [max_share ...  = 0.25 1]
// Each round measures idle, then each budget, so that load from elsewhere on
// the machine falls on all of them alike. Prints one line per phase: the
// mining rate, its ratio to that round's idle rate, vgpu requests answered
// per second, and the share of worker time vgpu took; then, over the rounds,
// each budget's median ratio. Use phases of 16 s or more: the budget's
// window is 4 s of busy time, and a loaded phase starts with vgpu's burst
// up to its share of that window (in the 1 s while the queue fills), so a
// short phase sees mostly the mining that follows and flatters it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "devices/device_setup.h"
#include "hashcore/selftest.h"
#include "scheduler/scheduler.h"
#include "telemetry/registry.h"
#include "vgpu_service/vgpu_service.h"

namespace {

using namespace synthminer;
using Clock = std::chrono::steady_clock;

// A job no hash meets (difficulty far beyond reach): the workers only hash.
protocol::WorkItem bench_job() {
  protocol::WorkItem in;
  in.job.job_id = "bench";
  in.job.coinb1 = {0x01, 0x00, 0x00, 0x00, 0x01};
  in.job.coinb2 = {0xcc, 0xdd};
  in.job.version = 0x20000000;
  in.job.nbits = 0x1d00ffff;
  in.job.ntime = 0x5f000000;
  in.job.clean_jobs = true;
  in.extranonce = {{0xde, 0xad, 0xbe, 0xef}, 4};
  in.share_target = hashcore::Target{};  // zero: nothing is a share
  return in;
}

// A {"kind", "signature", "payload"} body with a random n x n matmul; the
// signature placeholder "@" is replaced per request so each one misses the cache.
std::pair<std::string, std::string> matmul_body(int n) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> value(-1, 1);
  nlohmann::json matrix = nlohmann::json::array();
  for (int r = 0; r < n; ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (int c = 0; c < n; ++c) row.push_back(value(rng));
    matrix.push_back(std::move(row));
  }
  const nlohmann::json payload = {{"operation", "matmul"}, {"matrix", matrix}, {"other", matrix}};
  return {R"({"kind": "linalg", "signature": ")", "\", \"payload\": " + payload.dump() + "}"};
}

struct Phase {
  double hashes_per_second = 0;
  double requests_per_second = 0;
  double vgpu_share = 0;  // of the workers' wall time
  uint64_t failed = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 5.0;
  const int n = argc > 2 ? std::atoi(argv[2]) : 256;
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 1;
  std::vector<double> shares;
  for (int i = 4; i < argc; ++i) shares.push_back(std::atof(argv[i]));
  if (shares.empty()) shares = {0.25, 1.0};

  std::string error;
  const auto dispatch = hashcore::Dispatch::create(std::nullopt, error);
  if (!dispatch) {
    std::fprintf(stderr, "no hashing backend: %s\n", error.c_str());
    return 1;
  }
  config::Config config;
  devices::DeviceSetup setup = devices::build_devices(config, dispatch->chosen());
  std::atomic<uint64_t> hashes{0};
  scheduler::Scheduler scheduler(devices::scheduler_options(config.scheduler),
                                 [&hashes](scheduler::WorkerReport report) {
                                   hashes.fetch_add(report.hashes, std::memory_order_relaxed);
                                 });
  const size_t workers = setup.devices.size();
  for (auto& d : setup.devices) scheduler.add_device(std::move(d.device), d.options);
  telemetry::Registry registry;
  vgpu_service::VgpuServiceOptions options;
  options.max_queued = 1024;
  options.jarvis.quantum.threads = 1;
  vgpu_service::VgpuService service(scheduler, registry, true, options);
  std::atomic<double> busy{0};
  scheduler.set_task_time_observer(
      [&busy](std::string_view, double s) { busy.fetch_add(s, std::memory_order_relaxed); });
  scheduler.start();
  scheduler.set_job(bench_job());
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the sizers settle

  const auto [head, tail] = matmul_body(n);
  std::atomic<uint64_t> answered{0}, failed{0}, signature{0};
  std::atomic<int> inflight{0};
  const auto measure = [&](bool load) {
    std::atomic<bool> stop{false};
    // The client: keeps 2 requests per worker queued.
    std::thread client([&] {
      while (load && !stop.load()) {
        if (inflight.load() >= static_cast<int>(2 * workers)) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
          continue;
        }
        inflight.fetch_add(1);
        service.run_body(head + "bench-" + std::to_string(signature++) + tail, false, {},
                         [&](vgpu_service::VgpuAnswer a) {
                           if (a.status != synthminer::http::Status::ok) ++failed;
                           ++answered;
                           inflight.fetch_sub(1);
                         });
      }
    });
    if (load) std::this_thread::sleep_for(std::chrono::seconds(1));  // the queue fills
    const uint64_t h0 = hashes.load(), a0 = answered.load();
    const double b0 = busy.load();
    const auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    Phase p;
    p.hashes_per_second = static_cast<double>(hashes.load() - h0) / wall;
    p.requests_per_second = static_cast<double>(answered.load() - a0) / wall;
    p.vgpu_share = (busy.load() - b0) / (wall * static_cast<double>(workers));
    p.failed = failed.load();
    stop = true;
    client.join();
    while (inflight.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return p;
  };

  const std::string_view backend = dispatch->chosen().name;
  std::printf("backend %.*s, %zu CPU workers, %.1f s per phase, %dx%d matmuls\n",
              static_cast<int>(backend.size()), backend.data(), workers, seconds, n, n);
  std::map<double, std::vector<double>> ratios;
  for (int round = 0; round < rounds; ++round) {
    scheduler.set_task_max_share(1.0);
    const Phase idle = measure(false);
    std::printf("round %d idle:            %8.3f MH/s\n", round + 1, idle.hashes_per_second / 1e6);
    for (const double share : shares) {
      scheduler.set_task_max_share(share);
      const Phase loaded = measure(true);
      const double ratio = loaded.hashes_per_second / idle.hashes_per_second;
      ratios[share].push_back(ratio);
      std::printf(
          "round %d max_share %.2f:  %8.3f MH/s  %.3f of idle  %7.1f requests/s  vgpu took %.3f "
          "of the workers' time%s\n",
          round + 1, share, loaded.hashes_per_second / 1e6, ratio, loaded.requests_per_second,
          loaded.vgpu_share, loaded.failed ? "  (some requests failed)" : "");
    }
  }
  for (auto& [share, r] : ratios) {
    std::sort(r.begin(), r.end());
    std::printf("max_share %.2f: median %.3f of idle over %zu rounds (%.3f-%.3f)\n", share,
                r[r.size() / 2], r.size(), r.front(), r.back());
  }
  scheduler.stop();
  return 0;
}
