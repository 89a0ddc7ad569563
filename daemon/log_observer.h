// LogObserver: what the log says while mining, beside the pool client's own
// lines (connections, each share's fate). A pool decides how often jobs
// come and what their ids say, and a hash flood can find many blocks: job
// ids are made printable and bounded, and every kind of line is throttled
// (common::LogThrottle), the lines held back summarised with a count.
#pragma once

#include <memory>
#include <string>

#include "common/log_throttle.h"
#include "daemon/mining_session.h"

namespace synthminer::daemon {

class LogObserver : public MiningObserver {
 public:
  explicit LogObserver(
      std::shared_ptr<common::LogThrottle> throttle = std::make_shared<common::LogThrottle>());

  void on_job(const protocol::WorkItem& e) override;
  void on_share_found(const std::string& device, const protocol::Share& share,
                      double hash_difficulty, bool block) override;
  void on_hardware_error(const std::string& device, const std::string& reason) override;
  void on_stall(const scheduler::StallEvent& e) override;

 private:
  std::shared_ptr<common::LogThrottle> throttle_;
};

}  // namespace synthminer::daemon
