// Share accounting per pool: the one place share fates, their reasons and
// the submit round trips are counted (telemetry reads its snapshots). Every share the client is
// given is counted as found and pending at once, then moves exactly once to accepted, rejected
// (with the pool's reason) or stale (with ours), so at every moment
//   found == accepted + rejected + stale + pending.
// Written on the io thread, read from any thread: a mutex guards the counts.
// Reasons are the pool's text: each is kept as a bounded, printable key with
// its numbers folded (some pools put the share's difficulty in it), and at
// most kMaxReasons distinct keys per pool and kind; the rest count as
// "other", as telemetry's labels do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/histogram.h"

namespace synthminer::protocol {

enum class ShareFate { kAccepted, kRejected, kStale };
const char* to_string(ShareFate fate);

/// Distinct reject (and stale) reasons kept per pool; later ones count as kOtherReason.
inline constexpr size_t kMaxReasons = 32;
inline constexpr const char* kOtherReason = "other";
/// Input bytes of a reason kept in its key.
inline constexpr size_t kMaxReasonKeyBytes = 64;

/// A reason as a ledger key: numbers with a fraction, an exponent or three
/// or more digits become '#' (small integers, such as error codes, stay),
/// then common::printable() cut at kMaxReasonKeyBytes; "unknown" when
/// empty. "low difficulty share (0.0012) (23)" -> "low difficulty share (#) (23)".
std::string reason_key(std::string_view reason);

struct ShareStats {
  std::string pool;  ///< its name, as the client shows it (set with name_pool)
  uint64_t found = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t stale = 0;
  uint64_t pending = 0;            ///< queued while offline, or sent and not yet answered
  double accepted_difficulty = 0;  ///< sum of the job difficulty of each accepted share
  std::map<std::string, uint64_t> rejected_by_reason;
  std::map<std::string, uint64_t> stale_by_reason;
  common::HistogramSnapshot submit_rtt;  ///< seconds, a share written to the pool's answer

  bool balanced() const { return found == accepted + rejected + stale + pending; }
};

class ShareLedger {
 public:
  explicit ShareLedger(size_t pool_count) : pools_(pool_count), rtt_(pool_count, rtt_histogram()) {}

  /// Adds a pool at the end (a config reload); returns its index.
  size_t add_pool();
  /// The name `pool`'s snapshots carry (read from any thread, unlike the client's).
  void name_pool(size_t pool, std::string name);
  /// A new share for `pool`: found and pending.
  void found(size_t pool);
  /// A pending share's fate. `difficulty` counts only for accepted shares;
  /// `reason` only for rejected and stale ones.
  void resolve(size_t pool, ShareFate fate, double difficulty, const std::string& reason);
  /// The pool answered a share written `seconds` ago (or its answer timed out).
  void round_trip(size_t pool, double seconds);

  ShareStats snapshot(size_t pool) const;
  std::vector<ShareStats> snapshot() const;
  /// All pools added up.
  ShareStats total() const;
  /// Shares not yet resolved, all pools together (cheaper than total()).
  uint64_t pending() const;

 private:
  static common::Histogram rtt_histogram() {
    return common::Histogram(common::submit_rtt_buckets());
  }
  ShareStats with_rtt_locked(size_t pool) const;

  mutable std::mutex mu_;
  std::vector<ShareStats> pools_;
  std::vector<common::Histogram> rtt_;  ///< per pool, beside pools_
};

}  // namespace synthminer::protocol
