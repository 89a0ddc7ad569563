// MiningSession: joins a work source (protocol::WorkSource: the Stratum
// client, or any other) and the scheduler. Jobs from the source become the
// scheduler's job; each worker's batch report comes back to
// the io thread, where verified candidates are submitted and the batch is
// handed to telemetry. It counts nothing itself: hashes go to the registry
// from the batch reports, share fates and round trips are the
// source's share ledger's, hardware errors the verifier's (the registry
// reads both).
//
// Design: everything here runs on the one io thread that runs the source.
// Worker threads reach it only through asio::post of their reports (the
// scheduler's callback), so no state here is shared with them. stop() joins
// the workers first, lets their last reports submit their shares, then has
// the source drain (bounded) and stop, all on the io loop the caller runs:
// no found share goes unaccounted, and nothing here runs the loop itself.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/latency_samples.h"
#include "devices/device_setup.h"
#include "protocol/work_item.h"
#include "protocol/work_source.h"
#include "scheduler/scheduler.h"
#include "telemetry/registry.h"

namespace synthminer::daemon {

/// What the console (or a test) hears, on the io thread.
class MiningObserver {
 public:
  virtual ~MiningObserver() = default;
  virtual void on_job(const protocol::WorkItem& /*work*/) {}
  virtual void on_share_found(const std::string& /*device*/, const protocol::Share& /*share*/,
                              double /*hash_difficulty*/, bool /*block*/) {}
  virtual void on_share_result(const protocol::ShareResult& /*result*/) {}
  virtual void on_connection(const protocol::ConnectionEvent& /*event*/) {}
  virtual void on_hardware_error(const std::string& /*device*/, const std::string& /*reason*/) {}
  virtual void on_stall(const scheduler::StallEvent& /*event*/) {}
  /// Every batch report, after the session has counted it.
  virtual void on_batch(const scheduler::WorkerReport& /*report*/) {}
};

class MiningSession : public protocol::WorkListener {
 public:
  /// One worker per device; nothing starts until start(). The jobs come
  /// from the source attach_source() is given.
  MiningSession(boost::asio::io_context& io, MiningObserver& observer,
                std::vector<devices::MiningDevice> devices, scheduler::SchedulerOptions options);
  ~MiningSession() override;

  /// The source to mine for, created with this session as its listener.
  /// Once, before attach_telemetry() and start().
  void attach_source(std::shared_ptr<protocol::WorkSource> source);
  void start();
  /// Stops hashing (joins the workers), submits what their last reports
  /// found, has the source drain (up to `drain` for answers to the shares
  /// in flight) and stop, then posts `done`. It never runs the io loop: the
  /// caller does, until `done`. io thread.
  void stop(std::chrono::milliseconds drain, std::function<void()> done);

  /// Every device's hashes so far (the registry's count; 0 before attach_telemetry).
  uint64_t total_hashes() const;
  protocol::ShareStats share_stats() const { return source_->share_totals(); }
  std::vector<double> device_rates() const { return scheduler_.rates(); }
  /// From a clean job reaching the session to each worker's first batch of
  /// it (one sample per device and clean job), in ms.
  const LatencySamples& job_switch_latency() const { return job_switch_ms_; }
  /// From a share verified on its worker to the source's submit call (where
  /// the write to the socket starts when connected), in ms.
  const LatencySamples& submit_latency() const { return submit_ms_; }

  // protocol::WorkListener, on the io thread.
  void on_job(const protocol::WorkItem& work) override;
  void on_share_result(const protocol::ShareResult& result) override;
  void on_connection_state(const protocol::ConnectionEvent& event) override;

  scheduler::Scheduler& scheduler() { return scheduler_; }

  /// Feeds `registry` from now on (batches, pools, latencies) and makes it
  /// read the share ledger and the verifier. Before start(); the registry
  /// must outlive the session.
  void attach_telemetry(telemetry::Registry& registry);
  /// Stops hashing but keeps the pool connection (API /1/pause): jobs keep
  /// arriving and the latest is mined again on resume(). io thread.
  void pause();
  void resume();
  bool paused() const { return paused_; }
  /// Replaces the devices and scheduler options live (config reload); the
  /// job goes on. io thread; blocks for at most one piece per worker.
  void reconfigure_devices(std::vector<devices::MiningDevice> devices,
                           scheduler::SchedulerOptions options);

 private:
  void on_report(scheduler::WorkerReport report);
  void on_found(scheduler::FoundShare found);
  /// The target the devices scan for: the pool's, or a harder one when the
  /// pool's would find more shares than stratum.max_submits_per_second.
  hashcore::Target scan_target(const protocol::WorkItem& work);
  void add_device(const std::string& device);

  static constexpr size_t kJobSessionsKept = 64;

  boost::asio::io_context& io_;
  MiningObserver& observer_;
  scheduler::Scheduler scheduler_;
  std::shared_ptr<protocol::WorkSource> source_;
  /// Each device's latest batch generation (to time its first batch of a clean job).
  std::map<std::string, uint64_t> last_generation_;
  /// Clean jobs: generation -> when it reached the session.
  std::deque<std::pair<uint64_t, std::chrono::steady_clock::time_point>> clean_jobs_;
  LatencySamples job_switch_ms_;
  LatencySamples submit_ms_;
  telemetry::Registry* telemetry_ = nullptr;
  /// Mined again on resume(), with the scan target in share_target.
  std::optional<protocol::WorkItem> latest_job_;
  /// Where latest_job_'s nonce space stopped at pause() (see JobContext::first_extranonce2).
  uint64_t resume_extranonce2_ = 0;
  /// The previous-block hash of the latest block sent: later candidates on
  /// the same tip are ordinary shares (a regtest chain makes most nonces blocks).
  std::optional<protocol::Hash256> last_block_tip_;
  double scan_difficulty_logged_ = 0;
  bool held_back_logged_ = false;
  bool paused_ = false;
  bool stopped_ = false;
};

}  // namespace synthminer::daemon
