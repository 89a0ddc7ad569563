#include "protocol/share_ledger.h"

#include <cassert>

#include "common/printable.h"

namespace synthminer::protocol {

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

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// Length of the number (digits, then '.' digits, then e[+-]digits) at s[i].
size_t number_length(std::string_view s, size_t i, bool& folds) {
  const size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  folds = i - start >= 3;
  if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
    folds = true;
    for (++i; i < s.size() && is_digit(s[i]);) ++i;
  }
  if (i + 1 < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      folds = true;
      for (i = j; i < s.size() && is_digit(s[i]);) ++i;
    }
  }
  return i - start;
}

void count_reason(std::map<std::string, uint64_t>& by_reason, const std::string& reason) {
  std::string key = reason_key(reason);
  if (by_reason.size() >= kMaxReasons && by_reason.count(key) == 0) key = kOtherReason;
  ++by_reason[key];
}

}  // namespace

std::string reason_key(std::string_view reason) {
  std::string folded;
  // Fold only what the key can keep: the rest is cut anyway.
  const std::string_view text = reason.substr(0, 4 * kMaxReasonKeyBytes);
  for (size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      folded.push_back(text[i++]);
      continue;
    }
    bool folds = false;
    const size_t n = number_length(text, i, folds);
    if (folds) {
      folded.push_back('#');
    } else {
      folded.append(text.substr(i, n));
    }
    i += n;
  }
  if (folded.empty()) return "unknown";
  return common::printable(folded, kMaxReasonKeyBytes);
}

size_t ShareLedger::add_pool() {
  std::lock_guard lock(mu_);
  pools_.emplace_back();
  rtt_.push_back(rtt_histogram());
  return pools_.size() - 1;
}

void ShareLedger::name_pool(size_t pool, std::string name) {
  std::lock_guard lock(mu_);
  pools_.at(pool).pool = std::move(name);
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
      count_reason(c.rejected_by_reason, reason);
      break;
    case ShareFate::kStale:
      ++c.stale;
      count_reason(c.stale_by_reason, reason);
      break;
  }
}

void ShareLedger::round_trip(size_t pool, double seconds) {
  std::lock_guard lock(mu_);
  rtt_.at(pool).observe(seconds);
}

ShareStats ShareLedger::with_rtt_locked(size_t pool) const {
  ShareStats s = pools_.at(pool);
  s.submit_rtt = rtt_.at(pool).snapshot();
  return s;
}

ShareStats ShareLedger::snapshot(size_t pool) const {
  std::lock_guard lock(mu_);
  return with_rtt_locked(pool);
}

std::vector<ShareStats> ShareLedger::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<ShareStats> out;
  out.reserve(pools_.size());
  for (size_t i = 0; i < pools_.size(); ++i) out.push_back(with_rtt_locked(i));
  return out;
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

uint64_t ShareLedger::pending() const {
  std::lock_guard lock(mu_);
  uint64_t sum = 0;
  for (const ShareStats& p : pools_) sum += p.pending;
  return sum;
}

}  // namespace synthminer::protocol
