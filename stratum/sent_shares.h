// The shares recently handed to a pool, so that none goes out twice. A
// resumed job, a device that reports a range twice or a verifier retry can
// each produce the same share again; a pool counts a duplicate against us
// (some ban for it). Keys are the session the share was built for and
// every submitted field, kept as a 64-bit hash (a false match is about as
// likely as a 2^-48 event at full capacity); the last `capacity` are kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_set>

#include "protocol/job.h"

namespace synthminer::stratum {

class SentShares {
 public:
  explicit SentShares(size_t capacity = 65536) : capacity_(capacity) {}

  /// Records the share; false when it was recorded before (a duplicate).
  bool insert(uint64_t session, const protocol::Share& share);
  size_t size() const { return keys_.size(); }

 private:
  size_t capacity_;
  std::deque<uint64_t> order_;  ///< oldest first, for eviction
  std::unordered_set<uint64_t> keys_;
};

}  // namespace synthminer::stratum
