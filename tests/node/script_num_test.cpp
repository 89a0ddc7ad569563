// The BIP 34 height push, checked against the serialization rule computed
// another way (the fewest bytes whose top bit stays clear) and against
// coinbases of real blocks.
#include "node/script_num.h"

#include <gtest/gtest.h>

#include "protocol/hex.h"

namespace synthminer::node {
namespace {

using protocol::to_hex;

// `CScript() << n` for n >= 0, from the rule: OP_0, OP_1..OP_16, else a
// push of the fewest little-endian bytes that hold n below the sign bit.
std::vector<uint8_t> expected_push(uint64_t n) {
  if (n == 0) return {0x00};
  if (n <= 16) return {static_cast<uint8_t>(0x50 + n)};
  size_t len = 1;
  while (len < 8 && n >= (uint64_t{1} << (8 * len - 1))) ++len;
  if (len == 8 && n >= (uint64_t{1} << 63)) len = 9;
  std::vector<uint8_t> out{static_cast<uint8_t>(len)};
  for (size_t i = 0; i < len; ++i) out.push_back(i < 8 ? static_cast<uint8_t>(n >> (8 * i)) : 0);
  return out;
}

TEST(ScriptNum, HeightPushFollowsTheSerializationRule) {
  for (uint32_t h : {0u, 1u, 16u, 17u, 127u, 128u, 255u, 256u, 32767u, 32768u, 65535u, 65536u,
                     8388607u, 8388608u, 840000u, 2147483647u}) {
    EXPECT_EQ(to_hex(bip34_height_push(h)), to_hex(expected_push(h))) << h;
  }
}

TEST(ScriptNum, HeightPushesSpelledOut) {
  // Written out by hand from the rule, so a shared mistake shows.
  EXPECT_EQ(to_hex(bip34_height_push(1)), "51");  // OP_1, as Core's regtest coinbases
  EXPECT_EQ(to_hex(bip34_height_push(16)), "60");
  EXPECT_EQ(to_hex(bip34_height_push(17)), "0111");
  EXPECT_EQ(to_hex(bip34_height_push(127)), "017f");
  EXPECT_EQ(to_hex(bip34_height_push(128)), "028000");  // 0x80 alone would be negative zero
  EXPECT_EQ(to_hex(bip34_height_push(255)), "02ff00");
  EXPECT_EQ(to_hex(bip34_height_push(256)), "020001");
  EXPECT_EQ(to_hex(bip34_height_push(32767)), "02ff7f");
  EXPECT_EQ(to_hex(bip34_height_push(32768)), "03008000");
  EXPECT_EQ(to_hex(bip34_height_push(65535)), "03ffff00");
  EXPECT_EQ(to_hex(bip34_height_push(65536)), "03000001");
  EXPECT_EQ(to_hex(bip34_height_push(8388607)), "03ffff7f");
  EXPECT_EQ(to_hex(bip34_height_push(8388608)), "0400008000");
}

TEST(ScriptNum, HeightPushesOfRealCoinbases) {
  // Mainnet block 227931 (BIP 34's activation) and 840000 (the 2024
  // halving) start their coinbase scriptSig with these bytes; a regtest
  // coinbase at height 242 with 02f200.
  EXPECT_EQ(to_hex(bip34_height_push(227931)), "035b7a03");
  EXPECT_EQ(to_hex(bip34_height_push(840000)), "0340d10c");
  EXPECT_EQ(to_hex(bip34_height_push(242)), "02f200");
}

TEST(ScriptNum, NegativeNumbersCarryTheSignBit) {
  EXPECT_EQ(to_hex(script_num_bytes(-1)), "81");
  EXPECT_EQ(to_hex(script_num_bytes(-127)), "ff");
  EXPECT_EQ(to_hex(script_num_bytes(-128)), "8080");
  EXPECT_EQ(to_hex(script_num_bytes(-255)), "ff80");
  EXPECT_EQ(to_hex(push_number(-1)), "4f");
  EXPECT_EQ(to_hex(push_number(-2)), "0182");
  EXPECT_TRUE(script_num_bytes(0).empty());
}

}  // namespace
}  // namespace synthminer::node
