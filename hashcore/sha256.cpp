#include "hashcore/sha256.h"

#include <cstring>

#include "hashcore/sha256_constants.h"

namespace synthminer::hashcore {

void compress_reference(State& state, const uint8_t* block) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) w[t] = load_be32(block + 4 * t);
  for (int t = 16; t < 64; ++t) {
    w[t] = small_sigma1(w[t - 2]) + w[t - 7] + small_sigma0(w[t - 15]) + w[t - 16];
  }
  uint32_t s[8];
  for (int i = 0; i < 8; ++i) s[i] = state[i];
  for (int t = 0; t < 64; ++t) round_step(s, kK[t] + w[t]);
  for (int i = 0; i < 8; ++i) state[i] += s[i];
}

Sha256& Sha256::update(std::span<const uint8_t> data) {
  total_bytes_ += data.size();
  size_t pos = 0;
  if (buffered_ > 0) {
    const size_t take = std::min(data.size(), buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, data.data(), take);
    buffered_ += take;
    pos = take;
    if (buffered_ < buffer_.size()) return *this;
    compress_reference(state_, buffer_.data());
    buffered_ = 0;
  }
  for (; pos + 64 <= data.size(); pos += 64) compress_reference(state_, data.data() + pos);
  std::memcpy(buffer_.data(), data.data() + pos, data.size() - pos);
  buffered_ = data.size() - pos;
  return *this;
}

Digest Sha256::finish() {
  const uint64_t bit_length = total_bytes_ * 8;
  static constexpr uint8_t kPad[64] = {0x80};
  update({kPad, 1 + ((119 - buffered_) % 64)});
  uint8_t length_be[8];
  for (int i = 0; i < 8; ++i) length_be[i] = static_cast<uint8_t>(bit_length >> (56 - 8 * i));
  update(length_be);
  return words_digest(state_);
}

Digest sha256(std::span<const uint8_t> data) {
  return Sha256().update(data).finish();
}

Digest sha256d(std::span<const uint8_t> data) {
  const Digest once = sha256(data);
  return sha256(once);
}

State digest_words(const Digest& digest) {
  State words;
  for (int i = 0; i < 8; ++i) words[i] = load_be32(digest.data() + 4 * i);
  return words;
}

Digest words_digest(const State& words) {
  Digest digest;
  for (int i = 0; i < 8; ++i) store_be32(digest.data() + 4 * i, words[i]);
  return digest;
}

}  // namespace synthminer::hashcore
