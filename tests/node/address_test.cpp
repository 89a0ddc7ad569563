// Addresses to output scripts, with Bitcoin Core's key_io vectors and the
// BIP 173/350 addresses; chains kept apart.
#include "node/address.h"

#include <gtest/gtest.h>

#include "protocol/hex.h"

namespace synthminer::node {
namespace {

std::string script_hex(std::string_view address, Chain chain) {
  const auto script = output_script(address, chain);
  EXPECT_TRUE(script.ok()) << address << ": " << script.error();
  return script.ok() ? protocol::to_hex(*script) : std::string{};
}

std::string error_of(std::string_view address, Chain chain) {
  const auto script = output_script(address, chain);
  EXPECT_FALSE(script.ok()) << address;
  return script.ok() ? std::string{} : script.error();
}

TEST(Address, ChainsFromGetblockchaininfoNames) {
  EXPECT_EQ(chain_from_name("main"), Chain::kMain);
  EXPECT_EQ(chain_from_name("test"), Chain::kTest);
  EXPECT_EQ(chain_from_name("testnet4"), Chain::kTest);
  EXPECT_EQ(chain_from_name("signet"), Chain::kTest);
  EXPECT_EQ(chain_from_name("regtest"), Chain::kRegtest);
  EXPECT_EQ(chain_from_name("mainnet"), std::nullopt);
  EXPECT_EQ(chain_from_name(""), std::nullopt);
}

TEST(Address, Base58AddressesGiveP2pkhAndP2sh) {
  EXPECT_EQ(script_hex("1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i", Chain::kMain),
            "76a91465a16059864a2fdbc7c99a4723a8395bc6f188eb88ac");
  EXPECT_EQ(script_hex("3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xou", Chain::kMain),
            "a91474f209f6ea907e2ea48f74fae05782ae8a66525787");
  EXPECT_EQ(script_hex("mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs", Chain::kTest),
            "76a91453c0307d6851aa0ce7825ba883c6bd9ad242b48688ac");
  EXPECT_EQ(script_hex("2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br", Chain::kTest),
            "a9146349a418fc4578d10a372b54b45c280cc8c4382f87");
  // Regtest shares testnet's version bytes.
  EXPECT_EQ(script_hex("mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs", Chain::kRegtest),
            "76a91453c0307d6851aa0ce7825ba883c6bd9ad242b48688ac");
}

TEST(Address, SegwitAddressesGiveP2wpkhP2wshAndP2tr) {
  EXPECT_EQ(script_hex("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", Chain::kMain),
            "0014751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(script_hex("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", Chain::kTest),
            "0014751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(script_hex("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Chain::kRegtest),
            "0014751e76e8199196d454941c45d1b3a323f1433bd6");
  EXPECT_EQ(
      script_hex("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", Chain::kTest),
      "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262");
  EXPECT_EQ(
      script_hex("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", Chain::kMain),
      "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  EXPECT_EQ(
      script_hex("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", Chain::kTest),
      "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433");
}

TEST(Address, AnotherChainsAddressNamesBothChains) {
  const std::pair<const char*, Chain> cases[] = {
      {"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", Chain::kMain},
      {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Chain::kRegtest},
      {"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Chain::kTest},
      {"mo9ncXisMeAoXwqcV5EWuyncbmCcQN4rVs", Chain::kMain},
      {"1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62i", Chain::kTest},
      {"3CMNFxN1oHBc4R1EpboAL5yzHGgE611Xou", Chain::kRegtest},
  };
  for (const auto& [address, chain] : cases) {
    const std::string e = error_of(address, chain);
    EXPECT_NE(e.find(address), std::string::npos) << e;
    EXPECT_NE(e.find("node is on " + std::string(chain_name(chain))), std::string::npos) << e;
    EXPECT_NE(e.find("address, but"), std::string::npos) << e;
  }
  const std::string e = error_of("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", Chain::kMain);
  EXPECT_NE(e.find("is a test address, but the node is on main"), std::string::npos) << e;
}

TEST(Address, RefusesUndefinedWitnessVersionsAndLengths) {
  // Valid BIP 350 addresses, but no output type a payout should use.
  for (const char* address :
       {"BC1SW50QGDZ25J", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y"}) {
    EXPECT_NE(error_of(address, Chain::kMain).find("not a defined output type"), std::string::npos);
  }
}

TEST(Address, RefusesBadAddressesWithoutQuotingMoreThanTheAddress) {
  EXPECT_NE(error_of("", Chain::kMain).find("empty"), std::string::npos);
  // BIP 173 and BIP 350's "invalid human-readable part" vectors.
  for (const char* address : {"tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",
                              "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut"}) {
    EXPECT_NE(error_of(address, Chain::kMain).find("'tc' is of no known chain"), std::string::npos);
  }
  EXPECT_NE(error_of("1AGNa15ZQXAZUgFiqJ2i7Z2DPU2J6hW62j", Chain::kMain).find("checksum"),
            std::string::npos);
  EXPECT_NE(error_of("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", Chain::kMain).find("checksum"),
            std::string::npos);
  // A '1' mistyped into the data part is still judged as bech32, not Base58.
  const std::string typo =
      error_of("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081", Chain::kRegtest);
  EXPECT_EQ(typo.find("base58"), std::string::npos) << typo;
  // Base58 text from Core's vectors whose last 4 bytes are no checksum.
  EXPECT_NE(error_of("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L", Chain::kMain).find("checksum"),
            std::string::npos);
  const std::string huge(10000, 'z');
  const std::string e = error_of(huge, Chain::kMain);
  EXPECT_LT(e.size(), 200u) << e;
  const std::string control = "bc1\n<3>forged";
  EXPECT_EQ(error_of(control, Chain::kMain).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace synthminer::node
