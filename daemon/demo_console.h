// What the demo prints while it mines: jobs, shares as they are found and
// answered, hardware errors and connection changes, in the seed's style.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "daemon/mining_session.h"

namespace synthminer::daemon {

/// Thousands separators: 2145600000 -> "2,145,600,000".
std::string with_commas(uint64_t n);

class DemoConsole : public MiningObserver {
 public:
  using Clock = std::chrono::steady_clock;
  /// `jobs`: how many jobs the demo runs; the one after them ends it.
  DemoConsole(Clock::time_point start, unsigned jobs) : start_(start), max_jobs_(jobs) {}

  void on_job(const protocol::WorkItem& event) override;
  void on_share_found(const std::string& device, const protocol::Share& share,
                      double hash_difficulty, bool block) override;
  void on_share_result(const protocol::ShareResult& result) override;
  void on_connection(const protocol::ConnectionEvent& event) override;
  void on_hardware_error(const std::string& device, const std::string& reason) override;

  /// "Job job_2 completed (15.0s)" for the job in progress, if any.
  void finish_job();
  /// When the first job arrived (hashing starts then).
  std::optional<Clock::time_point> first_job_time() const { return first_job_; }
  /// True once a job past the last one has arrived: the demo is over.
  bool done() const { return jobs_ > max_jobs_; }

 private:
  double seconds_since(Clock::time_point t) const;

  Clock::time_point start_;
  Clock::time_point job_start_{};
  std::optional<Clock::time_point> first_job_;
  std::string job_id_;
  unsigned max_jobs_;
  unsigned jobs_ = 0;
};

}  // namespace synthminer::daemon
