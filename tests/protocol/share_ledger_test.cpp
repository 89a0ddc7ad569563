// The share ledger's reasons: the pool's text kept as bounded, printable
// keys, numbers folded, and a bounded number of them.
#include "protocol/share_ledger.h"

#include <gtest/gtest.h>

namespace synthminer::protocol {
namespace {

TEST(ShareLedger, CountsAndBalance) {
  ShareLedger l(2);
  for (int i = 0; i < 5; ++i) l.found(0);
  l.found(1);
  EXPECT_TRUE(l.snapshot(0).balanced());
  l.resolve(0, ShareFate::kAccepted, 2.5, "");
  l.resolve(0, ShareFate::kAccepted, 0.5, "");
  l.resolve(0, ShareFate::kRejected, 0, "Duplicate (22)");
  l.resolve(0, ShareFate::kStale, 0, "job cleaned");
  const ShareStats s = l.snapshot(0);
  EXPECT_EQ(s.found, 5u);
  EXPECT_EQ(s.accepted, 2u);
  EXPECT_EQ(s.rejected, 1u);
  EXPECT_EQ(s.stale, 1u);
  EXPECT_EQ(s.pending, 1u);
  EXPECT_DOUBLE_EQ(s.accepted_difficulty, 3.0);
  EXPECT_EQ(s.rejected_by_reason.at("Duplicate (22)"), 1u);
  EXPECT_EQ(s.stale_by_reason.at("job cleaned"), 1u);
  EXPECT_TRUE(s.balanced());
  const ShareStats total = l.total();
  EXPECT_EQ(total.found, 6u);
  EXPECT_EQ(total.pending, 2u);
  EXPECT_EQ(l.pending(), 2u);
  EXPECT_TRUE(total.balanced());
}

/// `n` shares of pool 0 resolved as `fate` with `reason(i)`.
template <typename Reason>
void resolve_many(ShareLedger& ledger, ShareFate fate, size_t n, Reason reason) {
  for (size_t i = 0; i < n; ++i) {
    ledger.found(0);
    ledger.resolve(0, fate, 0, reason(i));
  }
}

TEST(ShareLedger, RejectsThatDifferOnlyInTheirDifficultyShareOneKey) {
  ShareLedger ledger(1);
  resolve_many(ledger, ShareFate::kRejected, 1000, [](size_t i) {
    return "low difficulty share (0.00" + std::to_string(i + 1000) + ")";
  });
  resolve_many(ledger, ShareFate::kRejected, 1000, [](size_t i) {
    return "Share above target (" + std::to_string(i * 1000 + 100) + " > 65536)";
  });
  const ShareStats s = ledger.snapshot(0);
  EXPECT_EQ(s.rejected_by_reason.size(), 2u);
  EXPECT_EQ(s.rejected_by_reason.at("low difficulty share (#)"), 1000u);
  EXPECT_EQ(s.rejected_by_reason.at("Share above target (# > #)"), 1000u);
}

// The ledger is the one owner of round trips (telemetry reads them here).
TEST(ShareLedger, RoundTripsAndNamesArePerPoolAndSurviveAnAddedPool) {
  ShareLedger ledger(1);
  ledger.name_pool(0, "main");
  ledger.round_trip(0, 0.004);
  ledger.round_trip(0, 0.3);
  const size_t backup = ledger.add_pool();
  ledger.name_pool(backup, "backup");
  ledger.round_trip(backup, 45);
  const std::vector<ShareStats> pools = ledger.snapshot();
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[0].pool, "main");
  EXPECT_EQ(pools[0].submit_rtt.count, 2u);
  EXPECT_NEAR(pools[0].submit_rtt.sum, 0.304, 1e-12);
  EXPECT_EQ(pools[0].submit_rtt.cumulative_counts.front(), 1u) << "0.004 s is under 5 ms";
  EXPECT_EQ(pools[1].pool, "backup");
  EXPECT_EQ(pools[1].submit_rtt.count, 1u);
  EXPECT_EQ(pools[1].submit_rtt.cumulative_counts.back(), 0u) << "45 s only in +Inf";
}

TEST(ShareLedger, ErrorCodesAndWordsAreKept) {
  EXPECT_EQ(reason_key("Duplicate (22)"), "Duplicate (22)");
  EXPECT_EQ(reason_key("Job not found (=stale) (21)"), "Job not found (=stale) (21)");
  EXPECT_EQ(reason_key("difficulty 1e-12 (-1)"), "difficulty # (-1)");
  EXPECT_EQ(reason_key(""), "unknown");
}

TEST(ShareLedger, ReasonKeysArePrintableAndBounded) {
  const std::string key = reason_key("Duplicate\n<3>forged \x1b[31m" + std::string(100000, 'x'));
  EXPECT_EQ(key.rfind("Duplicate\\n<3>forged \\x1b[31m", 0), 0u) << key;
  EXPECT_LE(key.size(), 4 * kMaxReasonKeyBytes + 3);
  for (const char c : key) EXPECT_TRUE(c >= 0x20 && c < 0x7F) << key;
}

TEST(ShareLedger, DistinctRejectReasonsAreCappedTheRestCountAsOther) {
  ShareLedger ledger(1);
  constexpr size_t kReasons = 100;  // "reason 0" .. "reason 99": small integers stay distinct
  resolve_many(ledger, ShareFate::kRejected, kReasons,
               [](size_t i) { return "reason " + std::to_string(i); });
  resolve_many(ledger, ShareFate::kRejected, 1, [](size_t) { return "reason 0"; });
  const ShareStats s = ledger.snapshot(0);
  EXPECT_EQ(s.rejected_by_reason.size(), kMaxReasons + 1);
  EXPECT_EQ(s.rejected_by_reason.at(kOtherReason), kReasons - kMaxReasons);
  EXPECT_EQ(s.rejected_by_reason.at("reason 0"), 2u);  // admitted keys keep counting
  EXPECT_EQ(s.rejected, kReasons + 1);                 // nothing lost
  EXPECT_TRUE(s.balanced());
}

TEST(ShareLedger, DistinctStaleReasonsAreCappedToo) {
  ShareLedger ledger(1);
  resolve_many(ledger, ShareFate::kStale, 200,
               [](size_t i) { return "stale " + std::string(1 + i % 100, 'z'); });
  const ShareStats s = ledger.snapshot(0);
  EXPECT_EQ(s.stale_by_reason.size(), kMaxReasons + 1);
  EXPECT_EQ(s.stale, 200u);
  EXPECT_TRUE(s.balanced());
}

}  // namespace
}  // namespace synthminer::protocol
