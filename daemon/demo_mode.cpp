#include "daemon/demo_mode.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "config/load.h"
#include "daemon/demo_console.h"
#include "daemon/logging.h"
#include "daemon/mine_mode.h"
#include "daemon/mining_session.h"
#include "daemon/runtime.h"
#include "demo_pool/demo_pool.h"
#include "scheduler/scan_device.h"
#include "telemetry/labels.h"

namespace synthminer::daemon {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kRule =
    "================================================================================";

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

stratum::ClientOptions demo_client_options(uint16_t port) {
  stratum::ClientOptions o;
  stratum::PoolOptions pool;
  pool.url = "stratum+tcp://127.0.0.1:" + std::to_string(port);
  // Whole strings moved in: GCC 12's -Wrestrict misfires on short literal
  // assignment once this is inlined.
  pool.name = std::string("demo-pool");
  pool.user = std::string("demo.worker");
  pool.password = std::string("x");
  pool.version_rolling = true;
  o.pools.push_back(pool);
  return o;
}

void print_final(MiningSession& session, const telemetry::Registry& registry,
                 const demo_pool::DemoPool& pool, double elapsed) {
  const auto stats = session.share_stats();
  const auto counts = pool.counts();
  // Each figure from its owner: hashes from the registry (the workers'
  // reports), shares and errors from the verifier, fates from the ledger.
  const scheduler::VerifierStats verified = session.scheduler().verifier().stats();
  const auto verdicts = session.scheduler().verifier().verdicts();
  const uint64_t errors = verified.hardware_errors;
  const uint64_t dropped = verified.stale;
  std::printf("%s\n✅ Mining session completed in %.2fs\n\n📊 Final Statistics:\n\n", kRule, elapsed);
  std::printf("   Total Hashes:    %s\n", with_commas(session.total_hashes()).c_str());
  std::printf(
      "   Total Shares:    %llu (accepted %llu, rejected %llu, stale %llu, pending %llu)\n",
      static_cast<unsigned long long>(stats.found), static_cast<unsigned long long>(stats.accepted),
      static_cast<unsigned long long>(stats.rejected), static_cast<unsigned long long>(stats.stale),
      static_cast<unsigned long long>(stats.pending));
  std::printf("   Not sent, job cleaned first: %llu (stale, dropped by the scheduler)\n",
              static_cast<unsigned long long>(dropped));
  std::printf(
      "   Pool's own check: %llu accepted, %llu rejected (DemoPool re-hashes every share)\n",
      static_cast<unsigned long long>(counts.accepted),
      static_cast<unsigned long long>(counts.rejected));
  std::printf("   Total Errors:    %llu\n", static_cast<unsigned long long>(errors));
  std::printf("   Global Hashrate: %.2f MH/s (hashes / wall time since the first job)\n",
              static_cast<double>(session.total_hashes()) / elapsed / 1e6);
  std::printf("   Uptime:          %.1f s\n", elapsed);
  const LatencySamples& sw = session.job_switch_latency();
  const LatencySamples& sub = session.submit_latency();
  std::printf(
      "   Job switch (clean job in -> each worker on it): median %.2f ms, p99 %.2f ms (%zu)\n",
      sw.percentile(50), sw.percentile(99), sw.count());
  std::printf("      histogram: %s\n", sw.histogram_line({1, 2, 5, 10, 20, 50}).c_str());
  std::printf(
      "   Share found -> submitted to the pool client:    median %.3f ms, p99 %.3f ms (%zu)\n",
      sub.percentile(50), sub.percentile(99), sub.count());
  std::printf("      histogram: %s\n\n", sub.histogram_line({0.05, 0.1, 0.25, 0.5, 1}).c_str());
  std::printf("   %-8s %12s %14s %8s %12s %10s\n", "device", "MH/s", "hashes", "shares", "batch ms",
              "errors");
  for (const telemetry::DeviceSnapshot& d : registry.devices()) {
    const double rate = static_cast<double>(d.hashes) / elapsed / 1e6;
    uint64_t shares = 0;
    for (const auto& v : verdicts) {
      if (telemetry::sanitize_name(v.device) == d.name) shares = v.shares;
    }
    std::printf("   %-8s %12.2f %14s %8llu %12.1f %9.2f%%\n", d.name.c_str(), rate,
                with_commas(d.hashes).c_str(), static_cast<unsigned long long>(shares),
                d.batch_duration.mean() * 1000, 100.0 * d.hardware_error_ratio.value_or(0));
  }
  std::printf("%s\n", kRule);
}

}  // namespace

int run_demo(const DemoOptions& options, const hashcore::Dispatch& dispatch) {
  set_log_level(options.verbose ? spdlog::level::debug : spdlog::level::warn);
  RuntimeOptions runtime_options;
  runtime_options.drain = std::chrono::seconds(2);
  if (options.config_path) {
    // The demo mines against its own pool: "pools" may be left out.
    auto config = config::load_config_file(*options.config_path, config::LoadOptions{false});
    if (!config) {
      std::fprintf(stderr, "synthminerd: %s\n", config.error().message().c_str());
      return kExitBadConfig;
    }
    runtime_options.config = std::move(config).value();
    runtime_options.config_path = options.config_path;
  }
  // Without --config the demo binds nothing but its own pool.
  runtime_options.listeners = options.config_path.has_value();
  // So the README's vgpu examples run as written: see docs/VGPU.md, "The demo's API".
  runtime_options.demo_open_loopback = true;
  runtime_options.backend = std::string(dispatch.chosen().name);
  runtime_options.threads = options.threads;
  runtime_options.log_sink = options.log_sink;

  std::printf("%s\n🚀 SYNTHETIC GPU MINER - Starting...\n%s\n\n", kRule, kRule);
  std::printf("⚙️  Configuration:\n");
  std::printf("   • Number of jobs: %u\n", options.jobs);
  std::printf("   • Difficulty: %d leading zero bits (pool difficulty %.6g)\n",
              options.difficulty_bits,
              demo_pool::difficulty_from_zero_bits(options.difficulty_bits));
  std::printf("   • Duration: %.1fs per job\n\n", options.job_seconds);
  std::fflush(stdout);

  demo_pool::DemoPoolOptions pool_options;
  pool_options.zero_bits = options.difficulty_bits;
  pool_options.job_interval =
      std::chrono::milliseconds(static_cast<int64_t>(options.job_seconds * 1000));
  demo_pool::DemoPool pool(pool_options);
  const auto port = pool.start();
  if (!port) {
    std::fprintf(stderr, "synthminerd: the demo pool did not start: %s\n", port.error().c_str());
    return 1;
  }
  runtime_options.client = demo_client_options(*port);

  boost::asio::io_context io;
  DemoConsoleOptions console_options;
  console_options.jobs = options.jobs;
  console_options.verbose = options.verbose;
  DemoConsole console(Clock::now(), console_options);
  // Measured, not guessed: the devices are calibrated as they are made.
  auto runtime = Runtime::create(io, std::move(runtime_options), console);
  if (!runtime) {
    std::fprintf(stderr, "synthminerd: %s\n", runtime.error().c_str());
    return kExitBadConfig;
  }
  Runtime& r = *runtime.value();
  std::printf("📊 Detected Devices (%zu):\n", r.devices().devices.size());
  for (const auto& d : r.devices().devices) {
    std::printf("   • %s, measured %.2f MH/s\n", d.description.c_str(), d.measured_rate / 1e6);
  }
  for (const auto& note : r.devices().notes) std::printf("   • %s\n", note.c_str());
  std::printf("\n%s\n\n", kRule);
  std::fflush(stdout);

  if (auto started = r.start(); !started) {
    std::fprintf(stderr, "synthminerd: %s\n", started.error().c_str());
    return kExitBadConfig;
  }
  pool.restart_job_clock();  // the calibration above ran on job 1's clock
  // The same words as the daemon's log lines, for people and scripts.
  if (!r.metrics_address().empty())
    std::printf("   metrics: serving http://%s/metrics\n", r.metrics_address().c_str());
  if (!r.api_address().empty()) {
    std::printf("   api: listening on %s%s\n", r.api_address().c_str(), r.api_token_note().c_str());
  }
  std::fflush(stdout);
  const auto start = Clock::now();
  // The demo ends when the job after the last arrives; the deadline (one
  // job's time later) only guards against a pool that stopped sending.
  const auto end = start + std::chrono::milliseconds(static_cast<int64_t>(
                               (options.jobs + 1) * options.job_seconds * 1000));
  auto next_status = start + std::chrono::seconds(5);
  MiningSession& session = r.session();
  r.run_until([&] {
    const auto now = Clock::now();
    if (now >= next_status) {
      const double seconds = seconds_between(start, now);
      console.print_status(seconds, static_cast<double>(session.total_hashes()) / seconds,
                           session.share_stats().accepted, session.total_hashes());
      next_status += std::chrono::seconds(5);
    }
    return console.done() || now >= end;
  });
  if (r.interrupted()) std::printf("\n🛑 Interrupted: finishing the shares in flight\n");
  // Hashing starts with the first job: rates are measured from there.
  const double elapsed = seconds_between(console.first_job_time().value_or(start), Clock::now());
  r.stop(std::chrono::seconds(2));  // runtime_options.drain
  console.finish_job();
  pool.wait_for_shares(session.share_stats().found, std::chrono::milliseconds(500));
  print_final(session, r.registry(), pool, elapsed);
  pool.stop();
  return 0;
}

}  // namespace synthminer::daemon
