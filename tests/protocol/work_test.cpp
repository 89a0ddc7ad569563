// Header assembly, targets and difficulties, checked against the example
// share published in the Stratum documentation (slush pool).
#include "protocol/work.h"

#include <gtest/gtest.h>

#include "hashcore/sha256.h"
#include "protocol/hex.h"
#include "protocol/messages.h"

namespace synthminer::protocol {
namespace {

Job slush_job() {
  const json params = json::parse(R"(["bf",
    "4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000",
    "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008",
    "072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000",
    [], "00000002", "1c2ac4af", "504e86b9", false])");
  auto job = parse_notify(params);
  EXPECT_TRUE(job.ok()) << job.error();
  return job.value();
}

const Extranonce kSlushSession{*from_hex("08000002"), 4};

hashcore::Digest slush_share_hash(const Job& job, std::string_view en2, uint32_t ntime,
                                  uint32_t nonce) {
  const auto header = share_header(job, kSlushSession, *from_hex(en2), job.version, ntime, nonce);
  return hashcore::sha256d(header);
}

TEST(Work, SlushExampleShareHashesToThePublishedValue) {
  const Job job = slush_job();
  const auto hash = slush_share_hash(job, "00000001", 0x504e86ed, 0xb2957c02);
  EXPECT_EQ(display_hex(hash), "000000002076870fe65a2b6eeed84fa892c0db924f1482243a6247d931dcab32");
  EXPECT_TRUE(hashcore::meets_target(hash, *difficulty_to_target(1)));
  EXPECT_TRUE(hashcore::meets_target(hash, *nbits_to_target(job.nbits)));
  EXPECT_GT(hash_difficulty(hash), 1.0);
}

TEST(Work, ChangingAnyShareFieldBreaksTheSlushShare) {
  const Job job = slush_job();
  const auto diff1 = *difficulty_to_target(1);
  EXPECT_FALSE(
      hashcore::meets_target(slush_share_hash(job, "00000001", 0x504e86ed, 0xb2957c03), diff1));
  EXPECT_FALSE(
      hashcore::meets_target(slush_share_hash(job, "00000001", 0x504e86ee, 0xb2957c02), diff1));
  EXPECT_FALSE(
      hashcore::meets_target(slush_share_hash(job, "00000002", 0x504e86ed, 0xb2957c02), diff1));
  // The prevhash words must be swapped back; without the swap the hash is wrong.
  Job unswapped = job;
  for (size_t w = 0; w < 8; ++w)
    std::reverse(unswapped.prevhash.begin() + 4 * w, unswapped.prevhash.begin() + 4 * w + 4);
  EXPECT_FALSE(hashcore::meets_target(
      slush_share_hash(unswapped, "00000001", 0x504e86ed, 0xb2957c02), diff1));
}

TEST(Work, CoinbaseIsCoinb1Extranonce1Extranonce2Coinb2) {
  Job job;
  job.coinb1 = {1, 2};
  job.coinb2 = {9};
  const std::vector<uint8_t> en1{3, 4}, en2{5, 6, 7};
  EXPECT_EQ(build_coinbase(job, en1, en2), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 9}));
}

TEST(Work, MerkleRootFoldsBranchesInOrder) {
  const std::vector<uint8_t> coinbase{0xde, 0xad};
  Hash256 b1{}, b2{};
  b1[0] = 1;
  b2[0] = 2;
  const Hash256 branch[] = {b1, b2};
  Hash256 want = hashcore::sha256d(coinbase);
  for (const Hash256& b : branch) {
    std::vector<uint8_t> cat(want.begin(), want.end());
    cat.insert(cat.end(), b.begin(), b.end());
    want = hashcore::sha256d(cat);
  }
  EXPECT_EQ(merkle_root(coinbase, branch), want);
  EXPECT_EQ(merkle_root(coinbase, {}), hashcore::sha256d(coinbase));
}

TEST(Work, DifficultyToTarget) {
  EXPECT_EQ(difficulty_to_target(1)->to_hex(),
            "00000000ffff0000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(difficulty_to_target(2)->to_hex(),
            "000000007fff8000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(difficulty_to_target(0.5)->to_hex(),
            "00000001fffe0000000000000000000000000000000000000000000000000000");
  // floor(0xffff * 2^208 / 3) = 0x5555 * 2^208 exactly.
  EXPECT_EQ(difficulty_to_target(3)->to_hex(),
            "0000000055550000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(difficulty_to_target(1e-80), hashcore::Target::max());
  EXPECT_FALSE(difficulty_to_target(0));
  EXPECT_FALSE(difficulty_to_target(-1));
  EXPECT_FALSE(difficulty_to_target(NAN));
  EXPECT_FALSE(difficulty_to_target(INFINITY));
  // A fraction lands between its neighbours.
  const auto t = *difficulty_to_target(0.01);
  EXPECT_EQ(t.limbs[7], 0x63u);  // 0xffff * 100 / 2^16 = 99.998... -> 0x63
}

TEST(Work, NbitsToTarget) {
  EXPECT_EQ(nbits_to_target(0x1d00ffff)->to_hex(),
            "00000000ffff0000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(nbits_to_target(0x1c2ac4af)->to_hex(),
            "000000002ac4af00000000000000000000000000000000000000000000000000");
  EXPECT_EQ(nbits_to_target(0x03123456)->to_hex(), std::string(58, '0') + "123456");
  EXPECT_EQ(nbits_to_target(0x02123456)->to_hex(), std::string(60, '0') + "1234");
  EXPECT_FALSE(nbits_to_target(0x1d800000));  // negative
  EXPECT_FALSE(nbits_to_target(0x23123456));  // past 256 bits
}

}  // namespace
}  // namespace synthminer::protocol
