#include "daemon/log_observer.h"

#include <spdlog/spdlog.h>

#include "common/printable.h"
#include "daemon/logging.h"

namespace synthminer::daemon {

LogObserver::LogObserver(std::shared_ptr<common::LogThrottle> throttle)
    : throttle_(std::move(throttle)) {}

void LogObserver::on_job(const protocol::WorkItem& e) {
  if (!e.job.clean_jobs) return;
  if (auto v = throttle_->admit("new job " + e.pool_name)) {
    spdlog::info("new job {} from {} (difficulty {}){}", common::printable(e.job.job_id),
                 e.pool_name, e.difficulty, v.suffix());
  }
}

void LogObserver::on_share_found(const std::string& device, const protocol::Share& share,
                                 double hash_difficulty, bool block) {
  if (!block) return;
  if (auto v = throttle_->admit("block " + device)) {
    // Notice, not critical: good news stays out of the journal's error filters.
    log_notice(fmt::format("BLOCK FOUND by {}: nonce {:08x}, difficulty {:.6g}; submitted first{}",
                           device, share.nonce, hash_difficulty, v.suffix()));
  }
}

void LogObserver::on_hardware_error(const std::string& device, const std::string& reason) {
  if (auto v = throttle_->admit("hardware error " + device)) {
    spdlog::warn("hardware error on {}: {}{}", device, reason, v.suffix());
  }
}

void LogObserver::on_stall(const scheduler::StallEvent& e) {
  if (auto v = throttle_->admit("stall " + e.device)) {
    spdlog::warn("{} stalled: {} nonces handed to the other devices; it is retried{}", e.device,
                 e.nonces, v.suffix());
  }
}

}  // namespace synthminer::daemon
