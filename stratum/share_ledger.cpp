#include "stratum/share_ledger.h"

#include <cassert>

namespace synthminer::stratum {

const char* to_string(ShareFate fate) {
  switch (fate) {
    case ShareFate::kAccepted:
      return "accepted";
    case ShareFate::kRejected:
      return "rejected";
    case ShareFate::kStale:
      return "stale";
  }
  return "?";
}

size_t ShareLedger::add_pool() {
  std::lock_guard lock(mu_);
  pools_.emplace_back();
  return pools_.size() - 1;
}

void ShareLedger::found(size_t pool) {
  std::lock_guard lock(mu_);
  ShareStats& c = pools_.at(pool);
  ++c.found;
  ++c.pending;
}

void ShareLedger::resolve(size_t pool, ShareFate fate, double difficulty,
                          const std::string& reason) {
  std::lock_guard lock(mu_);
  ShareStats& c = pools_.at(pool);
  assert(c.pending > 0 && "a share resolved twice or never found");
  if (c.pending == 0) return;
  --c.pending;
  switch (fate) {
    case ShareFate::kAccepted:
      ++c.accepted;
      c.accepted_difficulty += difficulty;
      break;
    case ShareFate::kRejected:
      ++c.rejected;
      ++c.rejected_by_reason[reason.empty() ? "unknown" : reason];
      break;
    case ShareFate::kStale:
      ++c.stale;
      ++c.stale_by_reason[reason.empty() ? "unknown" : reason];
      break;
  }
}

ShareStats ShareLedger::snapshot(size_t pool) const {
  std::lock_guard lock(mu_);
  return pools_.at(pool);
}

std::vector<ShareStats> ShareLedger::snapshot() const {
  std::lock_guard lock(mu_);
  return pools_;
}

ShareStats ShareLedger::total() const {
  std::lock_guard lock(mu_);
  ShareStats sum;
  for (const ShareStats& c : pools_) {
    sum.found += c.found;
    sum.accepted += c.accepted;
    sum.rejected += c.rejected;
    sum.stale += c.stale;
    sum.pending += c.pending;
    sum.accepted_difficulty += c.accepted_difficulty;
    for (const auto& [r, n] : c.rejected_by_reason) sum.rejected_by_reason[r] += n;
    for (const auto& [r, n] : c.stale_by_reason) sum.stale_by_reason[r] += n;
  }
  return sum;
}

}  // namespace synthminer::stratum
