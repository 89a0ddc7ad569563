#include <gtest/gtest.h>

#include <stdexcept>

#include "hashcore/scan.h"

namespace synthminer::hashcore {
namespace {

TEST(Target, HexRoundTripAndLimbOrder) {
  const std::string hex = "00000000ffff0000000000000000000000000000000000000000000000000001";
  const Target t = Target::from_hex(hex);
  EXPECT_EQ(t.limbs[7], 0u);
  EXPECT_EQ(t.limbs[6], 0xffff0000u);
  EXPECT_EQ(t.limbs[0], 1u);
  EXPECT_EQ(t.to_hex(), hex);
  EXPECT_EQ(Target::from_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
            Target::max());
}

TEST(Target, RejectsBadHex) {
  EXPECT_THROW(Target::from_hex("00"), std::invalid_argument);
  EXPECT_THROW(Target::from_hex(std::string(63, '0') + "g"), std::invalid_argument);
}

TEST(Target, HashIsReadLittleEndian) {
  Digest hash{};
  Target t{};  // zero target: only the zero hash meets it
  EXPECT_TRUE(meets_target(hash, t));
  hash[0] = 1;  // least significant byte
  EXPECT_FALSE(meets_target(hash, t));
  t.limbs[0] = 1;
  EXPECT_TRUE(meets_target(hash, t));
  hash[31] = 1;  // most significant byte outweighs everything below it
  t.limbs[0] = 0xffffffff;
  EXPECT_FALSE(meets_target(hash, t));
  t.limbs[7] = 0x01000000;
  EXPECT_TRUE(meets_target(hash, t));
}

}  // namespace
}  // namespace synthminer::hashcore
