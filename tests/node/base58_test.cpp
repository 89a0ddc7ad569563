// Base58 and Base58Check against Bitcoin Core's vectors
// (src/test/data/base58_encode_decode.json, key_io_valid.json).
#include "node/base58.h"

#include <gtest/gtest.h>

#include "protocol/hex.h"

namespace synthminer::node {
namespace {

using protocol::to_hex;

TEST(Base58, DecodesBitcoinCoreVectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"61", "2g"},
      {"626262", "a3gV"},
      {"636363", "aPEr"},
      {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
      {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
      {"516b6fcd0f", "ABnLTmg"},
      {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
      {"572e4794", "3EFU7m"},
      {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
      {"10c8511e", "Rt5zm"},
      {"00000000000000000000", "1111111111"},
  };
  for (const auto& [hex, text] : cases) {
    const auto decoded = base58_decode(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error();
    EXPECT_EQ(to_hex(*decoded), hex) << text;
  }
}

TEST(Base58, RefusesCharactersOutsideTheAlphabet) {
  for (const char* text : {"0", "O", "I", "l", "1A Na", "3SEo3LWLoPntC!"}) {
    const auto decoded = base58_decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_NE(decoded.error().find("not in the alphabet"), std::string::npos) << decoded.error();
  }
}

TEST(Base58, RefusesOverlongText) {
  const std::string text(kMaxBase58Chars + 1, '2');
  const auto decoded = base58_decode(text);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().find("longer than"), std::string::npos);
}

TEST(Base58Check, DecodesAddressPayloads) {
  const std::pair<const char*, const char*> cases[] = {
      {"1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i", "0065a16059864a2fdbc7c99a4723a8395bc6f188eb"},
      {"3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xou", "0574f209f6ea907e2ea48f74fae05782ae8a665257"},
      {"mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs", "6f53c0307d6851aa0ce7825ba883c6bd9ad242b486"},
      {"2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br", "c46349a418fc4578d10a372b54b45c280cc8c4382f"},
  };
  for (const auto& [text, payload] : cases) {
    const auto decoded = base58check_decode(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.error();
    EXPECT_EQ(to_hex(*decoded), payload) << text;
  }
}

TEST(Base58Check, RefusesABadChecksum) {
  // One character changed in the last position, and in the middle.
  for (const char* text :
       {"1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62j", "1ANNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i"}) {
    const auto decoded = base58check_decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_NE(decoded.error().find("checksum mismatch"), std::string::npos) << decoded.error();
  }
}

TEST(Base58Check, RefusesTextShorterThanAChecksum) {
  const auto decoded = base58check_decode("2g");
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().find("shorter than its 4-byte checksum"), std::string::npos);
}

}  // namespace
}  // namespace synthminer::node
