// Bech32, bech32m and segwit addresses against the test vectors of
// BIP 173 and BIP 350. Each invalid vector is checked for the reason the
// BIP gives, so a mistyped vector cannot pass as "invalid" by accident.
#include "node/bech32.h"

#include <gtest/gtest.h>

#include "protocol/hex.h"

namespace synthminer::node {
namespace {

struct Invalid {
  std::string text;
  const char* reason;  ///< a part of the expected error message
};

void expect_invalid(const Invalid& c, const Result<Bech32Decoded>& r) {
  ASSERT_FALSE(r.ok()) << c.text;
  EXPECT_NE(r.error().find(c.reason), std::string::npos) << c.text << ": " << r.error();
}

TEST(Bech32, DecodesTheBip173ValidStringsAsBech32) {
  for (
      const char* text :
      {"A12UEL5L", "a12uel5l",
       "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
       "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
       "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
       "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl"}) {
    const auto r = bech32_decode(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error();
    EXPECT_EQ(r->encoding, Bech32Encoding::kBech32) << text;
  }
}

TEST(Bech32, DecodesTheBip350ValidStringsAsBech32m) {
  for (
      const char* text :
      {"A1LQFN3A", "a1lqfn3a",
       "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
       "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
       "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
       "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", "?1v759aa"}) {
    const auto r = bech32_decode(text);
    ASSERT_TRUE(r.ok()) << text << ": " << r.error();
    EXPECT_EQ(r->encoding, Bech32Encoding::kBech32m) << text;
  }
}

TEST(Bech32, KeepsTheHrpAndTheDataValues) {
  const auto r = bech32_decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->hrp, "abcdef");
  // The data part spells the charset in order: values 0..31.
  ASSERT_EQ(r->data.size(), 32u);
  for (size_t i = 0; i < 32; ++i) EXPECT_EQ(r->data[i], i);
  const auto upper = bech32_decode("A12UEL5L");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->hrp, "a");
  EXPECT_TRUE(upper->data.empty());
}

TEST(Bech32, RefusesTheBip173InvalidStrings) {
  const Invalid cases[] = {
      {"\x20"
       "1nwldj5",
       "out of range"},
      {"\x7f"
       "1axkwrx",
       "out of range"},
      {"\x80"
       "1eym55h",
       "out of range"},
      {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pv"
       "x",
       "longer than 90"},
      {"pzry9x0s0muk", "no separator"},
      {"1pzry9x0s0muk", "empty human-readable part"},
      {"x1b4n0q5v", "not a bech32 data character"},
      {"li1dgmt3", "checksum shorter"},
      {"de1lg7wt\xff", "out of range"},
      {"A1G7SGD8", "checksum mismatch"},  // checksum made with the upper-case HRP
      {"10a06t8", "empty human-readable part"},
      {"1qzzfhee", "empty human-readable part"},
  };
  for (const Invalid& c : cases) expect_invalid(c, bech32_decode(c.text));
}

TEST(Bech32, RefusesTheBip350InvalidStrings) {
  const Invalid cases[] = {
      {"\x20"
       "1xj0phk",
       "out of range"},
      {"\x7f"
       "1g6xzxy",
       "out of range"},
      {"\x80"
       "1vctc34",
       "out of range"},
      {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts"
       "4",
       "longer than 90"},
      {"qyrz8wqd2c9m", "no separator"},
      {"1qyrz8wqd2c9m", "empty human-readable part"},
      {"y1b0jsk6g", "not a bech32 data character"},
      {"lt1igcx5c0", "not a bech32 data character"},
      {"in1muywd", "checksum shorter"},
      {"mm1crxm3i", "not a bech32 data character"},
      {"au1s5cgom", "not a bech32 data character"},
      {"M1VUXWEZ", "checksum mismatch"},
      {"16plkw9", "empty human-readable part"},
      {"1p2gdwpf", "empty human-readable part"},
  };
  for (const Invalid& c : cases) expect_invalid(c, bech32_decode(c.text));
}

TEST(Bech32, RefusesMixedCase) {
  expect_invalid({"a12UEL5L", "mixed case"}, bech32_decode("a12UEL5L"));
  expect_invalid({"A12uEL5L", "mixed case"}, bech32_decode("A12uEL5L"));
}

TEST(Segwit, DecodesTheBip350ValidAddressesToTheirScripts) {
  const std::pair<const char*, const char*> cases[] = {
      {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
       "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
       "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
      {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
       "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
      {"BC1SW50QGDZ25J", "6002751e"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
      {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
       "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
      {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
       "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
       "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
  };
  for (const auto& [address, script] : cases) {
    const auto w = segwit_decode(address);
    ASSERT_TRUE(w.ok()) << address << ": " << w.error();
    EXPECT_EQ(protocol::to_hex(witness_script(*w)), script) << address;
  }
}

TEST(Segwit, RefusesTheBip173InvalidAddresses) {
  // BIP 173's "invalid HRP" vector (tc1...) is a valid string here: which
  // HRP a chain wants is address.h's business (see address_test.cpp).
  const Invalid cases[] = {
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum mismatch"},
      {"BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "witness version 17 above 16"},
      {"bc1rw5uspcuh", "witness program of 1 bytes"},
      {"bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
       "witness program of 41 bytes"},
      {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "version 0 witness program of 16 bytes"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "mixed case"},
      {"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "padding"},
      {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", "padding"},
      {"bc1gmk9yu", "no witness version"},
  };
  for (const Invalid& c : cases) {
    const auto r = segwit_decode(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().find(c.reason), std::string::npos) << c.text << ": " << r.error();
  }
}

TEST(Segwit, RefusesTheBip350InvalidAddresses) {
  const Invalid cases[] = {
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "must use bech32m"},
      {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "must use bech32m"},
      {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "must use bech32m"},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "must use bech32,"},
      {"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "must use bech32,"},
      {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
       "not a bech32 data character"},
      {"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
       "witness version 17 above 16"},
      {"bc1pw5dgrnzv", "witness program of 1 bytes"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
       "witness program of 41 bytes"},
      {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "version 0 witness program of 16 bytes"},
      {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "mixed case"},
      {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "padding"},
      {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "padding"},
      {"bc1gmk9yu", "no witness version"},
  };
  for (const Invalid& c : cases) {
    const auto r = segwit_decode(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().find(c.reason), std::string::npos) << c.text << ": " << r.error();
  }
}

}  // namespace
}  // namespace synthminer::node
