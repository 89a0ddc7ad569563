#include "hashcore/hash_lanes.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "hashcore/sha256_constants.h"

namespace synthminer::hashcore {

std::vector<Digest> sha256_lanes(const Backend& backend,
                                 std::span<const std::span<const uint8_t>> messages) {
  if (messages.empty()) return {};
  const size_t length = messages[0].size();
  for (const auto& m : messages) {
    if (m.size() != length) throw std::invalid_argument("sha256_lanes: messages differ in length");
  }
  const uint32_t lanes = backend.lanes;
  const size_t full_blocks = length / 64;
  const size_t tail_blocks = (length % 64) + 9 <= 64 ? 1 : 2;
  std::vector<Digest> out;
  out.reserve(messages.size());

  for (size_t first = 0; first < messages.size(); first += lanes) {
    std::vector<uint32_t> state(8 * lanes);
    for (uint32_t i = 0; i < 8; ++i) std::fill_n(state.begin() + i * lanes, lanes, kIV[i]);
    // The padded tail of each lane: remaining bytes, 0x80, zeros, bit length.
    std::vector<std::array<uint8_t, 128>> tails(lanes);
    std::vector<const uint8_t*> blocks(lanes);
    for (uint32_t lane = 0; lane < lanes; ++lane) {
      const auto& m = messages[std::min(first + lane, messages.size() - 1)];
      auto& tail = tails[lane];
      tail.fill(0);
      const size_t rest = length % 64;
      std::copy_n(m.data() + full_blocks * 64, rest, tail.begin());
      tail[rest] = 0x80;
      const uint64_t bits = uint64_t{length} * 8;
      for (int i = 0; i < 8; ++i)
        tail[64 * tail_blocks - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
    }
    for (size_t blk = 0; blk < full_blocks + tail_blocks; ++blk) {
      for (uint32_t lane = 0; lane < lanes; ++lane) {
        const auto& m = messages[std::min(first + lane, messages.size() - 1)];
        blocks[lane] =
            blk < full_blocks ? m.data() + 64 * blk : tails[lane].data() + 64 * (blk - full_blocks);
      }
      backend.compress_lanes(state.data(), blocks.data());
    }
    for (uint32_t lane = 0; lane < lanes && first + lane < messages.size(); ++lane) {
      State words;
      for (uint32_t i = 0; i < 8; ++i) words[i] = state[i * lanes + lane];
      out.push_back(words_digest(words));
    }
  }
  return out;
}

}  // namespace synthminer::hashcore
