#include "vgpu/cache/digest.h"

#include "hashcore/hash_lanes.h"

namespace jarvis {

synthminer::hashcore::Digest digest_bytes(std::span<const uint8_t> bytes,
                                          const synthminer::hashcore::Backend* one_lane) {
  // Below a few blocks the reference is as fast as the lane driver's set-up.
  if (!one_lane || one_lane->lanes != 1 || bytes.size() < 256)
    return synthminer::hashcore::sha256(bytes);
  const std::span<const uint8_t> messages[1] = {bytes};
  return synthminer::hashcore::sha256_lanes(*one_lane, messages).front();
}

}  // namespace jarvis
