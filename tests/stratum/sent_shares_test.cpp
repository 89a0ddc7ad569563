#include "stratum/sent_shares.h"

#include <gtest/gtest.h>

namespace synthminer::stratum {
namespace {

protocol::Share share_with_nonce(uint32_t nonce) {
  protocol::Share s;
  s.job_id = "j1";
  s.extranonce2 = {0, 0, 0, 1};
  s.ntime = 0x5f000000;
  s.nonce = nonce;
  return s;
}

TEST(SentShares, TheSameShareTwiceIsADuplicate) {
  SentShares sent;
  EXPECT_TRUE(sent.insert(1, share_with_nonce(7)));
  EXPECT_FALSE(sent.insert(1, share_with_nonce(7)));
}

TEST(SentShares, AnyFieldOrTheSessionMakesADifferentShare) {
  SentShares sent;
  const protocol::Share base = share_with_nonce(7);
  ASSERT_TRUE(sent.insert(1, base));
  EXPECT_TRUE(sent.insert(2, base)) << "another session (another extranonce1)";
  protocol::Share s = base;
  s.nonce = 8;
  EXPECT_TRUE(sent.insert(1, s));
  s = base;
  s.ntime += 1;
  EXPECT_TRUE(sent.insert(1, s));
  s = base;
  s.extranonce2 = {0, 0, 0, 2};
  EXPECT_TRUE(sent.insert(1, s));
  s = base;
  s.job_id = "j2";
  EXPECT_TRUE(sent.insert(1, s));
  s = base;
  s.version_bits = 0;  // rolled nothing, but said so: another submit line
  EXPECT_TRUE(sent.insert(1, s));
  s.version_bits = 0x2000;
  EXPECT_TRUE(sent.insert(1, s));
}

TEST(SentShares, OnlyTheLastCapacitySharesAreKept) {
  SentShares sent(4);
  for (uint32_t n = 0; n < 10; ++n) ASSERT_TRUE(sent.insert(1, share_with_nonce(n)));
  EXPECT_EQ(sent.size(), 4u);
  EXPECT_FALSE(sent.insert(1, share_with_nonce(9)));
  EXPECT_TRUE(sent.insert(1, share_with_nonce(0))) << "forgotten long ago";
}

}  // namespace
}  // namespace synthminer::stratum
