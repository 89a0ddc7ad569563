#include "node/merkle.h"

#include <algorithm>

#include "hashcore/sha256.h"

namespace synthminer::node {
namespace {

Hash256 hash_pair(const Hash256& left, const Hash256& right) {
  uint8_t pair[64];
  std::copy(left.begin(), left.end(), pair);
  std::copy(right.begin(), right.end(), pair + 32);
  return hashcore::sha256d(pair);
}

// One level up: pairs hashed, the last hash paired with itself when odd.
std::vector<Hash256> parent_level(const std::vector<Hash256>& level) {
  std::vector<Hash256> up;
  up.reserve((level.size() + 1) / 2);
  for (size_t i = 0; i < level.size(); i += 2) {
    up.push_back(hash_pair(level[i], level[i + 1 < level.size() ? i + 1 : i]));
  }
  return up;
}

}  // namespace

std::vector<Hash256> coinbase_merkle_branch(std::span<const Hash256> txids) {
  // The coinbase is always the leftmost node of its level, so its sibling
  // is the level's second hash, and the rest of the level can be hashed
  // up without it. `rest` holds each level without the leftmost node.
  std::vector<Hash256> branch;
  std::vector<Hash256> rest(txids.begin(), txids.end());
  while (!rest.empty()) {
    branch.push_back(rest.front());
    // Level (coinbase-side, rest...): its pairs after the first are
    // (rest[1], rest[2]), (rest[3], rest[4]), ...; an odd level's last
    // hash pairs with itself.
    std::vector<Hash256> up;
    for (size_t i = 1; i < rest.size(); i += 2) {
      up.push_back(hash_pair(rest[i], rest[i + 1 < rest.size() ? i + 1 : i]));
    }
    rest = std::move(up);
  }
  return branch;
}

Hash256 tree_merkle_root(std::span<const Hash256> leaves) {
  if (leaves.empty()) return Hash256{};
  std::vector<Hash256> level(leaves.begin(), leaves.end());
  while (level.size() > 1) level = parent_level(level);
  return level.front();
}

Hash256 witness_merkle_root(std::span<const Hash256> wtxids) {
  std::vector<Hash256> leaves;
  leaves.reserve(wtxids.size() + 1);
  leaves.push_back(Hash256{});
  leaves.insert(leaves.end(), wtxids.begin(), wtxids.end());
  return tree_merkle_root(leaves);
}

Hash256 witness_commitment(const Hash256& witness_root, const Hash256& reserved) {
  return hash_pair(witness_root, reserved);
}

std::vector<uint8_t> witness_commitment_script(const Hash256& commitment) {
  // OP_RETURN, push 36, the commitment header aa21a9ed (BIP 141).
  static constexpr uint8_t kHead[] = {0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed};
  std::vector<uint8_t> script(sizeof kHead + commitment.size());
  std::copy(std::begin(kHead), std::end(kHead), script.begin());
  std::copy(commitment.begin(), commitment.end(), script.begin() + sizeof kHead);
  return script;
}

}  // namespace synthminer::node
