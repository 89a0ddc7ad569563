// A job as the scheduler sees it: the source's WorkItem, unchanged, with the
// numbers derived from it once (how many midstates it has, the network
// target) and where it stands (its generation, where its nonce space
// starts). Shared read-only by every device and the verifier.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "hashcore/scan.h"
#include "protocol/work_item.h"

namespace synthminer::scheduler {

/// At most this many versions are rolled per extranonce2 value.
inline constexpr uint32_t kMaxVersionRolls = 16;

/// A job with its derived numbers (version_rolls counts the rolls of its
/// rollable bits, see rollable_bits). A midstate_id in [0, midstate_count)
/// names one (extranonce2, version) pair: extranonce2 counter =
/// id / version_rolls, roll = id % version_rolls.
struct JobContext {
  protocol::WorkItem work;  ///< as its source issued it (share_target: the scan target)
  uint64_t generation = 0;  ///< JobGeneration::on_job() for this job
  /// The first extranonce2 value mined: a job resumed after a pause starts
  /// past every value it had handed out, so no share is found twice.
  uint64_t first_extranonce2 = 0;
  std::optional<hashcore::Target> network_target;  ///< from nbits; nullopt if invalid
  uint32_t version_rolls = 1;                      ///< versions per extranonce2, >= 1
  uint64_t extranonce2_count = 0;                  ///< extranonce2 values available
  uint64_t midstate_count = 0;                     ///< extranonce2_count * version_rolls
  uint64_t sequence = 0;                           ///< unique per installed job
};

/// What a share of `job` carries back to the source that issued it.
protocol::JobRef job_ref(const JobContext& job);

/// Derives the numbers of `work`; `sequence` tells jobs with equal ids apart.
std::shared_ptr<const JobContext> make_job_context(protocol::WorkItem work, uint64_t sequence,
                                                   uint64_t generation = 0,
                                                   uint64_t first_extranonce2 = 0);

/// `counter` little-endian in `size` bytes (bytes above 8 are zero).
std::vector<uint8_t> extranonce2_bytes(uint64_t counter, uint32_t size);

/// The bits of `mask` that are clear in the job's `version`: the only ones
/// rolled. A share then carries version_bits = rolled & mask, and both ways
/// pools rebuild the header's version, BIP 310's (version & ~mask) | bits
/// and ckpool's version | bits, give back the version that was hashed.
uint32_t rollable_bits(uint32_t version, uint32_t mask);

/// `version` with roll number `roll` set into its rollable bits (lowest
/// first), so roll 0 is the job's own version.
uint32_t rolled_version(uint32_t version, uint32_t mask, uint32_t roll);

}  // namespace synthminer::scheduler
