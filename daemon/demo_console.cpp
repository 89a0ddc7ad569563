#include "daemon/demo_console.h"

#include <cstdio>

namespace synthminer::daemon {

std::string with_commas(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double DemoConsole::seconds_since(Clock::time_point t) const {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void DemoConsole::finish_job() {
  if (job_id_.empty()) return;
  std::printf("   ⏱️  Job %s completed (%.1fs)\n\n", job_id_.c_str(),
              seconds_since(job_start_));
  job_id_.clear();
}

void DemoConsole::on_job(const protocol::WorkItem& event) {
  if (!event.job.clean_jobs) return;  // a refresh of the same work
  finish_job();
  if (++jobs_ > max_jobs_) return;
  job_id_ = event.job.job_id;
  job_start_ = Clock::now();
  if (!first_job_) first_job_ = job_start_;
  std::printf("📦 Job %s from the pool (share target: %.32s...)\n", job_id_.c_str(),
              event.share_target.to_hex().c_str());
  std::fflush(stdout);
}

void DemoConsole::on_share_found(const std::string& device, const protocol::Share& share,
                                 double hash_difficulty, bool block) {
  // diff: the difficulty this hash achieves, in the pool's units.
  std::printf("   %s Share found! device=%s, nonce=%08x, diff=%.6g\n", block ? "🧱 BLOCK" : "✨",
              device.c_str(), share.nonce, hash_difficulty);
  std::fflush(stdout);
}

void DemoConsole::on_share_result(const protocol::ShareResult& result) {
  switch (result.fate) {
    case protocol::ShareFate::kAccepted:
      std::printf("   ✅ Share accepted by the pool (nonce=%08x)\n", result.share.nonce);
      break;
    case protocol::ShareFate::kRejected:
      std::printf("   ❌ Share rejected (nonce=%08x): %s\n", result.share.nonce,
                  result.reason.c_str());
      break;
    default:
      std::printf("   ⌛ Share stale (nonce=%08x): %s\n", result.share.nonce, result.reason.c_str());
      break;
  }
  std::fflush(stdout);
}

void DemoConsole::on_connection(const protocol::ConnectionEvent& event) {
  if (event.state == protocol::ConnectionState::kAuthorized) {
    std::printf("🔌 Connected and authorized at %s\n", event.pool_name.c_str());
  } else if (event.state == protocol::ConnectionState::kDisconnected) {
    std::printf("🔌 Disconnected from %s: %s\n", event.pool_name.c_str(), event.reason.c_str());
  }
  std::fflush(stdout);
}

void DemoConsole::on_hardware_error(const std::string& device, const std::string& reason) {
  std::printf("   ⚠️  Hardware error on %s: %s\n", device.c_str(), reason.c_str());
  std::fflush(stdout);
}

}  // namespace synthminer::daemon
