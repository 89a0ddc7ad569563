#include "daemon/demo_console.h"

#include <cstdio>

namespace synthminer::daemon {
namespace {

// Found shares wait for their answer at most this many at once: a pool
// that never answers must not grow the set.
constexpr size_t kMaxAwaitingAnswer = 1024;

}  // namespace

std::string with_commas(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

DemoConsole::DemoConsole(Clock::time_point start, DemoConsoleOptions options)
    : options_(std::move(options)),
      share_lines_(options_.share_lines, options_.now),
      start_(start) {}

double DemoConsole::seconds_since(Clock::time_point t) const {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void DemoConsole::finish_job() {
  if (job_id_.empty()) return;
  std::fprintf(options_.out, "   ⏱️  Job %s completed (%.1fs)\n\n", job_id_.c_str(),
               seconds_since(job_start_));
  job_id_.clear();
}

void DemoConsole::on_job(const protocol::WorkItem& event) {
  if (!event.job.clean_jobs) return;  // a refresh of the same work
  finish_job();
  if (++jobs_ > options_.jobs) return;
  job_id_ = event.job.job_id;
  job_start_ = Clock::now();
  if (!first_job_) first_job_ = job_start_;
  std::fprintf(options_.out, "📦 Job %s from the pool (share target: %.32s...)\n", job_id_.c_str(),
               event.share_target.to_hex().c_str());
  flush();
}

void DemoConsole::on_share_found(const std::string& device, const protocol::Share& share,
                                 double hash_difficulty, bool block) {
  // A block is always printed; the folded ones are still counted.
  if (!options_.verbose && !block && !share_lines_.admit("share")) {
    ++folded_;
    ++folded_total_;
    return;
  }
  if (printed_.size() < kMaxAwaitingAnswer) {
    printed_.emplace(share.job_id, share.nonce, share.extranonce2);
  }
  // diff: the difficulty this hash achieves, in the pool's units.
  std::fprintf(options_.out, "   %s Share found! device=%s, nonce=%08x, diff=%.6g\n",
               block ? "🧱 BLOCK" : "✨", device.c_str(), share.nonce, hash_difficulty);
  flush();
}

void DemoConsole::on_share_result(const protocol::ShareResult& result) {
  const auto& share = result.share;
  const bool announced = printed_.erase({share.job_id, share.nonce, share.extranonce2}) > 0;
  // The answer to a folded share is folded too; a rejection or a stale one
  // is printed while they are few (the final statistics count them all).
  if (!options_.verbose && !announced &&
      (result.fate == protocol::ShareFate::kAccepted ||
       !share_lines_.admit("unannounced answer"))) {
    return;
  }
  switch (result.fate) {
    case protocol::ShareFate::kAccepted:
      std::fprintf(options_.out, "   ✅ Share accepted by the pool (nonce=%08x)\n",
                   result.share.nonce);
      break;
    case protocol::ShareFate::kRejected:
      std::fprintf(options_.out, "   ❌ Share rejected (nonce=%08x): %s\n", result.share.nonce,
                   result.reason.c_str());
      break;
    default:
      std::fprintf(options_.out, "   ⌛ Share stale (nonce=%08x): %s\n", result.share.nonce,
                   result.reason.c_str());
      break;
  }
  flush();
}

void DemoConsole::on_connection(const protocol::ConnectionEvent& event) {
  if (event.state == protocol::ConnectionState::kAuthorized) {
    std::fprintf(options_.out, "🔌 Connected and authorized at %s\n", event.pool_name.c_str());
  } else if (event.state == protocol::ConnectionState::kDisconnected) {
    std::fprintf(options_.out, "🔌 Disconnected from %s: %s\n", event.pool_name.c_str(),
                 event.reason.c_str());
  }
  flush();
}

void DemoConsole::on_hardware_error(const std::string& device, const std::string& reason) {
  std::fprintf(options_.out, "   ⚠️  Hardware error on %s: %s\n", device.c_str(),
               reason.c_str());
  flush();
}

void DemoConsole::print_status(double seconds, double hashes_per_second, uint64_t accepted,
                               uint64_t hashes) {
  std::fprintf(options_.out, "   📈 Status @ %.1fs: %.2f MH/s, %llu shares, %s hashes", seconds,
               hashes_per_second / 1e6, static_cast<unsigned long long>(accepted),
               with_commas(hashes).c_str());
  if (folded_ > 0) {
    std::fprintf(options_.out,
                 " (%llu found since the last status not listed; --verbose lists each)",
                 static_cast<unsigned long long>(folded_));
  }
  std::fprintf(options_.out, "\n");
  folded_ = 0;
  flush();
}

}  // namespace synthminer::daemon
