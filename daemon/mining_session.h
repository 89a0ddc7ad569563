// MiningSession: joins the pool client and the scheduler. Jobs from the
// pool become the scheduler's job; each worker's batch report comes back to
// the io thread, where verified candidates are submitted and the batch is
// handed to telemetry. It counts nothing itself: hashes go to the registry
// from the batch reports, share fates and round trips are the client's
// share ledger's, hardware errors the verifier's (the registry reads both).
//
// Design: everything here runs on the one io thread that runs the client.
// Worker threads reach it only through asio::post of their reports (the
// scheduler's callback), so no state here is shared with them. stop() joins
// the workers first, then waits (bounded) for the pool to answer the shares
// already sent, then closes the client: no found share goes unaccounted.
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
#include "scheduler/scheduler.h"
#include "stratum/client.h"
#include "telemetry/registry.h"

namespace synthminer::daemon {

/// What the console (or a test) hears, on the io thread.
class MiningObserver {
 public:
  virtual ~MiningObserver() = default;
  virtual void on_job(const protocol::WorkItem& /*work*/) {}
  virtual void on_share_found(const std::string& /*device*/, const protocol::Share& /*share*/,
                              double /*hash_difficulty*/, bool /*block*/) {}
  virtual void on_share_result(const stratum::ShareResult& /*result*/) {}
  virtual void on_connection(const stratum::ConnectionEvent& /*event*/) {}
  virtual void on_hardware_error(const std::string& /*device*/, const std::string& /*reason*/) {}
  virtual void on_stall(const scheduler::StallEvent& /*event*/) {}
  /// Every batch report, after the session has counted it.
  virtual void on_batch(const scheduler::WorkerReport& /*report*/) {}
};

class MiningSession : public stratum::ClientListener {
 public:
  /// Creates the client (its options are checked here) and one worker per
  /// device. Nothing starts until start().
  static stratum::Result<std::unique_ptr<MiningSession>> create(
      boost::asio::io_context& io, stratum::ClientOptions client_options,
      std::vector<devices::MiningDevice> devices, scheduler::SchedulerOptions options,
      MiningObserver& observer);
  ~MiningSession() override;

  void start();
  /// Stops hashing, waits up to `drain` for answers to shares in flight
  /// (running the io context), then closes the pool connection. io thread.
  void stop(std::chrono::milliseconds drain);

  /// Every device's hashes so far (the registry's count; 0 before attach_telemetry).
  uint64_t total_hashes() const;
  stratum::ShareStats share_stats() const;
  std::vector<double> device_rates() const { return scheduler_.rates(); }
  /// From a clean job reaching the session to each worker's first batch of
  /// it (one sample per device and clean job), in ms.
  const LatencySamples& job_switch_latency() const { return job_switch_ms_; }
  /// From a share verified on its worker to the client's submit call (where
  /// the write to the socket starts when connected), in ms.
  const LatencySamples& submit_latency() const { return submit_ms_; }

  // stratum::ClientListener, on the io thread.
  void on_job(const protocol::WorkItem& work) override;
  void on_share_result(const stratum::ShareResult& result) override;
  void on_connection_state(const stratum::ConnectionEvent& event) override;

  MiningSession(boost::asio::io_context& io, MiningObserver& observer,
                std::vector<devices::MiningDevice> devices,
                scheduler::SchedulerOptions options);  // use create()

  scheduler::Scheduler& scheduler() { return scheduler_; }
  stratum::Client& client() { return *client_; }

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
  std::shared_ptr<stratum::Client> client_;
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
