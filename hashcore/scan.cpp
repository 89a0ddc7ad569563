#include "hashcore/scan.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "hashcore/sha256_constants.h"

namespace synthminer::hashcore {

Target Target::max() {
  Target t;
  t.limbs.fill(0xffffffffu);
  return t;
}

Target Target::from_hex(std::string_view hex_be) {
  if (hex_be.size() != 64) throw std::invalid_argument("target must be 64 hex digits");
  Target t;
  for (int limb = 0; limb < 8; ++limb) {
    uint32_t v = 0;
    for (char ch : hex_be.substr(static_cast<size_t>(8 * (7 - limb)), 8)) {
      int digit;
      if (ch >= '0' && ch <= '9')
        digit = ch - '0';
      else if (ch >= 'a' && ch <= 'f')
        digit = ch - 'a' + 10;
      else if (ch >= 'A' && ch <= 'F')
        digit = ch - 'A' + 10;
      else
        throw std::invalid_argument("target has a non-hex digit");
      v = (v << 4) | static_cast<uint32_t>(digit);
    }
    t.limbs[static_cast<size_t>(limb)] = v;
  }
  return t;
}

std::string Target::to_hex() const {
  std::string out;
  char buf[9];
  for (int limb = 7; limb >= 0; --limb) {
    std::snprintf(buf, sizeof buf, "%08x", limbs[static_cast<size_t>(limb)]);
    out += buf;
  }
  return out;
}

Target Target::from_hash(const Digest& hash) {
  Target t;
  for (size_t i = 0; i < 8; ++i) {
    const uint8_t* p = hash.data() + 4 * i;
    t.limbs[i] =
        uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
  }
  return t;
}

bool meets_target(const Digest& hash, const Target& target) {
  const Target h = Target::from_hash(hash);
  for (int limb = 7; limb >= 0; --limb) {
    const auto i = static_cast<size_t>(limb);
    if (h.limbs[i] != target.limbs[i]) return h.limbs[i] < target.limbs[i];
  }
  return true;
}

ScanJob scan_job_from_header(std::span<const uint8_t, 80> header, const Target& target) {
  ScanJob job;
  job.midstate = {kIV[0], kIV[1], kIV[2], kIV[3], kIV[4], kIV[5], kIV[6], kIV[7]};
  compress_reference(job.midstate, header.data());
  std::copy_n(header.data() + 64, 16, job.tail.begin());
  job.target = target;
  return job;
}

Digest header_hash(const ScanJob& job, uint32_t nonce) {
  uint8_t block[64] = {};
  std::copy_n(job.tail.data(), 12, block);
  for (int i = 0; i < 4; ++i) block[12 + i] = static_cast<uint8_t>(nonce >> (8 * i));
  block[16] = 0x80;
  block[62] = 0x02;  // 640 bits, big-endian
  block[63] = 0x80;
  State state = job.midstate;
  compress_reference(state, block);
  return sha256(words_digest(state));
}

ScanResult scan_reference(const ScanJob& job, NonceRange range) {
  ScanResult result;
  const uint64_t end = range.start + std::min<uint64_t>(range.count, (1ull << 32) - range.start);
  for (uint64_t n = range.start; n < end; ++n) {
    if (meets_target(header_hash(job, static_cast<uint32_t>(n)), job.target)) {
      result.nonces.push_back(static_cast<uint32_t>(n));
    }
  }
  result.hashes = end - range.start;
  return result;
}

}  // namespace synthminer::hashcore
