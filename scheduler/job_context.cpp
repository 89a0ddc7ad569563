#include "scheduler/job_context.h"

#include <bit>
#include <utility>

#include "protocol/work.h"

namespace synthminer::scheduler {
namespace {

// Counters are uint64 and midstate ids multiply by the rolls; cap the
// extranonce2 space so the product cannot overflow (2^48 midstates of
// 2^32 nonces each is far beyond any job's lifetime).
constexpr uint64_t kMaxExtranonce2Count = uint64_t{1} << 44;

uint64_t extranonce2_count_for(uint32_t size) {
  if (size == 0) return 1;
  if (size * 8 >= 64) return kMaxExtranonce2Count;
  const uint64_t count = uint64_t{1} << (size * 8);
  return count < kMaxExtranonce2Count ? count : kMaxExtranonce2Count;
}

uint32_t version_rolls_for(uint32_t mask) {
  const int bits = std::popcount(mask);
  if (bits >= 5) return kMaxVersionRolls;
  const uint32_t rolls = uint32_t{1} << bits;
  return rolls < kMaxVersionRolls ? rolls : kMaxVersionRolls;
}

}  // namespace

protocol::JobRef job_ref(const JobContext& job) {
  return protocol::job_ref(job.work, job.generation);
}

std::shared_ptr<const JobContext> make_job_context(protocol::WorkItem work, uint64_t sequence,
                                                   uint64_t generation,
                                                   uint64_t first_extranonce2) {
  auto context = std::make_shared<JobContext>();
  context->network_target = protocol::nbits_to_target(work.job.nbits);
  context->version_rolls = version_rolls_for(rollable_bits(work.job.version, work.version_mask));
  context->extranonce2_count = extranonce2_count_for(work.extranonce.extranonce2_size);
  context->midstate_count = context->extranonce2_count * context->version_rolls;
  context->sequence = sequence;
  context->generation = generation;
  context->first_extranonce2 = first_extranonce2;
  context->work = std::move(work);
  return context;
}

std::vector<uint8_t> extranonce2_bytes(uint64_t counter, uint32_t size) {
  std::vector<uint8_t> bytes(size, 0);
  for (uint32_t i = 0; i < size && i < 8; ++i) bytes[i] = static_cast<uint8_t>(counter >> (8 * i));
  return bytes;
}

uint32_t rollable_bits(uint32_t version, uint32_t mask) {
  return mask & ~version;
}

uint32_t rolled_version(uint32_t version, uint32_t mask, uint32_t roll) {
  const uint32_t free_bits = rollable_bits(version, mask);
  uint32_t deposit = 0;
  for (uint32_t bit = 0; bit < 32 && roll != 0; ++bit) {
    if ((free_bits >> bit) & 1u) {
      deposit |= (roll & 1u) << bit;
      roll >>= 1;
    }
  }
  return version | deposit;
}

}  // namespace synthminer::scheduler
