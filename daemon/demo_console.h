// What the demo prints while it mines: jobs, shares as they are found and
// answered, hardware errors and connection changes, in the seed's style.
// Shares are printed one by one while they come slowly; beyond a few a
// second (a low difficulty on a fast machine) they are folded into the
// status line, so that it does not scroll away. Verbose prints them all.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/log_throttle.h"
#include "daemon/mining_session.h"

namespace synthminer::daemon {

/// Thousands separators: 2145600000 -> "2,145,600,000".
std::string with_commas(uint64_t n);

struct DemoConsoleOptions {
  unsigned jobs = 3;     ///< how many jobs the demo runs; the one after them ends it
  bool verbose = false;  ///< print every share, however fast they come
  /// Share lines printed back to back, then a second, before folding.
  common::LogThrottleOptions share_lines{5, 1, 4};
  common::LogThrottle::Now now = common::LogThrottle::Clock::now;
  std::FILE* out = stdout;
};

class DemoConsole : public MiningObserver {
 public:
  using Clock = std::chrono::steady_clock;
  DemoConsole(Clock::time_point start, DemoConsoleOptions options);

  void on_job(const protocol::WorkItem& event) override;
  void on_share_found(const std::string& device, const protocol::Share& share,
                      double hash_difficulty, bool block) override;
  void on_share_result(const protocol::ShareResult& result) override;
  void on_connection(const protocol::ConnectionEvent& event) override;
  void on_hardware_error(const std::string& device, const std::string& reason) override;

  /// "   📈 Status @ 5.0s: …" with the shares folded since the last one.
  void print_status(double seconds, double hashes_per_second, uint64_t accepted, uint64_t hashes);
  /// Shares found whose lines were folded, in all.
  uint64_t folded_shares() const { return folded_total_; }

  /// "Job job_2 completed (15.0s)" for the job in progress, if any.
  void finish_job();
  /// When the first job arrived (hashing starts then).
  std::optional<Clock::time_point> first_job_time() const { return first_job_; }
  /// True once a job past the last one has arrived: the demo is over.
  bool done() const { return jobs_ > options_.jobs; }

 private:
  using ShareKey = std::tuple<std::string, uint32_t, std::vector<uint8_t>>;
  double seconds_since(Clock::time_point t) const;
  void flush() { std::fflush(options_.out); }

  DemoConsoleOptions options_;
  common::LogThrottle share_lines_;
  std::set<ShareKey> printed_;  ///< shares whose found line was printed, until answered
  uint64_t folded_ = 0;         ///< since the last status line
  uint64_t folded_total_ = 0;
  Clock::time_point start_;
  Clock::time_point job_start_{};
  std::optional<Clock::time_point> first_job_;
  std::string job_id_;
  unsigned jobs_ = 0;
};

}  // namespace synthminer::daemon
