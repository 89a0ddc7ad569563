// The coinbase's merkle branch and the witness commitment: folded with
// protocol::merkle_root they must give the root of the whole tree, which
// the test computes its own (recursive) way; and the known values of a
// real block (mainnet 100000) and of a block with only a coinbase.
#include "node/merkle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "hashcore/sha256.h"
#include "protocol/hex.h"
#include "protocol/work.h"

namespace synthminer::node {
namespace {

// A hash from RPC's display hex (reversed into internal order).
Hash256 from_display(std::string_view hex) {
  const auto bytes = *protocol::from_hex(hex);
  Hash256 h;
  std::reverse_copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::string display(const Hash256& h) {
  return protocol::display_hex(h);
}

// The merkle root by the definition, top down: the root of a range is the
// hash of the roots of its halves, where the left half is the largest
// power of two below the size and a missing right half repeats the left.
Hash256 reference_root(const std::vector<Hash256>& leaves, size_t begin, size_t width) {
  if (width == 1) return leaves[begin];
  const Hash256 left = reference_root(leaves, begin, width / 2);
  const Hash256 right = begin + width / 2 < leaves.size()
                            ? reference_root(leaves, begin + width / 2, width / 2)
                            : left;
  std::vector<uint8_t> cat(left.begin(), left.end());
  cat.insert(cat.end(), right.begin(), right.end());
  return hashcore::sha256d(cat);
}

Hash256 reference_root(const std::vector<Hash256>& leaves) {
  size_t width = 1;
  while (width < leaves.size()) width *= 2;
  return reference_root(leaves, 0, width);
}

std::vector<Hash256> random_hashes(size_t n, std::mt19937_64& rng) {
  std::vector<Hash256> out(n);
  for (auto& h : out) {
    for (auto& b : h) b = static_cast<uint8_t>(rng());
  }
  return out;
}

TEST(Merkle, BranchFoldsToTheFullTreeRootForEverySize) {
  std::mt19937_64 rng(16);
  for (size_t others = 0; others <= 20; ++others) {
    const std::vector<uint8_t> coinbase{0x01, 0x02, static_cast<uint8_t>(others)};
    const auto txids = random_hashes(others, rng);
    std::vector<Hash256> leaves{hashcore::sha256d(coinbase)};
    leaves.insert(leaves.end(), txids.begin(), txids.end());
    const auto branch = coinbase_merkle_branch(txids);
    EXPECT_EQ(protocol::merkle_root(coinbase, branch), reference_root(leaves)) << others;
    EXPECT_EQ(tree_merkle_root(leaves), reference_root(leaves)) << others;
    // One hash per level above the leaves.
    size_t levels = 0;
    while ((size_t{1} << levels) < leaves.size()) ++levels;
    EXPECT_EQ(branch.size(), levels) << others;
  }
}

TEST(Merkle, Block100000) {
  // Mainnet block 100000: its four txids and its merkle root.
  const std::vector<Hash256> leaves = {
      from_display("8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87"),
      from_display("fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4"),
      from_display("6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4"),
      from_display("e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d"),
  };
  const std::string root = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766";
  EXPECT_EQ(display(tree_merkle_root(leaves)), root);
  const auto branch = coinbase_merkle_branch(std::span(leaves).subspan(1));
  ASSERT_EQ(branch.size(), 2u);
  EXPECT_EQ(branch[0], leaves[1]);
  Hash256 folded = leaves[0];
  for (const Hash256& b : branch) {
    std::vector<uint8_t> cat(folded.begin(), folded.end());
    cat.insert(cat.end(), b.begin(), b.end());
    folded = hashcore::sha256d(cat);
  }
  EXPECT_EQ(display(folded), root);
}

TEST(Merkle, NoLeavesAndOneLeaf) {
  EXPECT_EQ(tree_merkle_root({}), Hash256{});
  Hash256 one{};
  one[5] = 7;
  EXPECT_EQ(tree_merkle_root(std::vector<Hash256>{one}), one);
  EXPECT_TRUE(coinbase_merkle_branch({}).empty());
}

TEST(WitnessCommitment, OfABlockWithOnlyACoinbase) {
  // Core's regtest templates with an empty mempool propose this output
  // (and real regtest coinbases carry it): the witness root of a lone
  // coinbase is zero, and the commitment is sha256d of 64 zero bytes.
  EXPECT_EQ(witness_merkle_root({}), Hash256{});
  EXPECT_EQ(protocol::to_hex(witness_commitment_script(witness_commitment(Hash256{}))),
            "6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9");
}

TEST(WitnessCommitment, IsTheHashOfTheWitnessRootAndTheReservedValue) {
  std::mt19937_64 rng(141);
  for (size_t n = 1; n <= 9; ++n) {
    const auto wtxids = random_hashes(n, rng);
    std::vector<Hash256> leaves{Hash256{}};
    leaves.insert(leaves.end(), wtxids.begin(), wtxids.end());
    const Hash256 root = reference_root(leaves);
    EXPECT_EQ(witness_merkle_root(wtxids), root) << n;
    std::vector<uint8_t> cat(root.begin(), root.end());
    cat.insert(cat.end(), 32, 0x00);
    const Hash256 commitment = hashcore::sha256d(cat);
    EXPECT_EQ(witness_commitment(root), commitment) << n;
    const auto script = witness_commitment_script(commitment);
    ASSERT_EQ(script.size(), 38u);
    EXPECT_TRUE(std::equal(commitment.begin(), commitment.end(), script.begin() + 6));
  }
}

}  // namespace
}  // namespace synthminer::node
