#include "hashcore/known_vectors.h"

namespace synthminer::hashcore {

std::array<uint8_t, 80> genesis_header() {
  // Merkle root as displayed, big-endian; the header stores it reversed.
  static constexpr uint8_t kMerkleDisplayed[32] = {0x4a, 0x5e, 0x1e, 0x4b, 0xaa, 0xb8, 0x9f, 0x3a,
                                                   0x32, 0x51, 0x8a, 0x88, 0xc3, 0x1b, 0xc8, 0x7f,
                                                   0x61, 0x8f, 0x76, 0x67, 0x3e, 0x2c, 0xc7, 0x7a,
                                                   0xb2, 0x12, 0x7b, 0x7a, 0xfd, 0xed, 0xa3, 0x3b};
  std::array<uint8_t, 80> h{};
  auto put_le32 = [&](size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) h[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  put_le32(0, 1);  // version; bytes 4..35 (previous block) stay zero
  for (size_t i = 0; i < 32; ++i) h[36 + i] = kMerkleDisplayed[31 - i];
  put_le32(68, 1231006505);  // time
  put_le32(72, 0x1d00ffff);  // bits
  put_le32(76, kGenesisNonce);
  return h;
}

Target genesis_target() {
  return Target::from_hex("00000000ffff0000000000000000000000000000000000000000000000000000");
}

}  // namespace synthminer::hashcore
