// WorkSpace: the nonce space of the current job as a logical queue of
// WorkUnits, generated on demand and never materialised. Midstate 0's 2^32
// nonces come first, then midstate 1's (the next version roll or
// extranonce2), and so on. Units a device gives back (it stalled, or was
// disabled) are handed out again before any fresh nonces.
//
// Design: one mutex guards the cursor and the given-back queue; workers
// take a batch every few tens of milliseconds, so contention is negligible.
// Roll batches come from whole extranonce2 values reserved ahead of the
// cursor, which then jumps over them: every nonce is still handed out once.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scheduler/job_context.h"

namespace synthminer::scheduler {

/// Nonces per midstate: every 32-bit nonce.
inline constexpr uint64_t kNoncesPerMidstate = uint64_t{1} << 32;

/// A run of nonces [nonce_start, nonce_start + nonce_count) of one midstate.
struct WorkUnit {
  std::string job_id;
  uint64_t job_sequence = 0;  ///< JobContext::sequence
  uint64_t midstate_id = 0;
  uint32_t nonce_start = 0;
  uint64_t nonce_count = 0;  ///< 1..2^32 - nonce_start
  friend bool operator==(const WorkUnit&, const WorkUnit&) = default;
};

/// Cuts `unit` after `first_count` nonces (0 < first_count < nonce_count).
std::pair<WorkUnit, WorkUnit> split(const WorkUnit& unit, uint64_t first_count);

/// A run of units of one midstate, for one device; or, when `rolls` is set,
/// the same nonce run of each version roll of one extranonce2 value (its
/// midstates share the header's second block, so a GPU hashes them
/// together: see WorkSpace::take_roll_batch).
struct Batch {
  std::vector<WorkUnit> units;
  bool rolls = false;
  bool empty() const { return units.empty(); }
  /// Nonces in all units.
  uint64_t nonces() const;
};

struct WorkSpaceStats {
  uint64_t nonces_handed_out = 0;  ///< fresh and given-back nonces taken
  uint64_t nonces_given_back = 0;
  uint64_t midstates_started = 0;  ///< midstates whose first nonce was taken
  bool exhausted = false;          ///< every midstate of the job was handed out
};

class WorkSpace {
 public:
  /// Starts handing out `job` from its first_extranonce2 value (usually
  /// 0), nonce 0; given-back units of other jobs are dropped. nullptr: no
  /// work until the next job.
  void set_job(std::shared_ptr<const JobContext> job);
  /// The first extranonce2 value of the current job none of whose nonces
  /// was handed out (0 without a job): where a resumed job starts.
  uint64_t untouched_extranonce2() const;

  /// The next run of at most `max_nonces` (>= 1) nonces of one midstate:
  /// a given-back unit first, else fresh nonces. nullopt when there is no
  /// job or its space is used up.
  std::optional<WorkUnit> take(uint64_t max_nonces);

  /// Units of one midstate totalling at most `max_nonces` (>= 1) nonces.
  Batch take_batch(uint64_t max_nonces);

  /// For a device that hashes version rolls together: the same fresh run of
  /// nonces of every version roll of one extranonce2 value, at most
  /// `max_nonces` (>= 1) in all. Such a device reserves a whole extranonce2
  /// value ahead of the cursor (take() then skips its midstates) and takes
  /// it run after run. Given-back units come first, as a plain batch; so
  /// does everything when the job rolls no versions.
  Batch take_roll_batch(uint64_t max_nonces);

  /// Hands `unit` out again before fresh nonces; ignored if its job is gone.
  void give_back(WorkUnit unit);

  WorkSpaceStats stats() const;

 private:
  std::optional<WorkUnit> take_locked(uint64_t max_nonces);
  std::optional<uint64_t> next_midstate_locked() const;
  Batch take_batch_locked(uint64_t max_nonces);
  bool reserve_rolls_locked();
  uint64_t first_untouched_group_locked() const;
  void skip_reserved_locked();

  /// The extranonce2 value (all of its version rolls) being handed out by
  /// take_roll_batch.
  struct RollGroup {
    uint64_t first_midstate = 0;
    uint64_t next_nonce = 0;  ///< 0..2^32
  };

  mutable std::mutex mutex_;
  std::shared_ptr<const JobContext> job_;
  uint64_t midstate_ = 0;    ///< cursor: midstate of the next fresh nonce
  uint64_t next_nonce_ = 0;  ///< cursor: 0..2^32
  std::deque<WorkUnit> given_back_;
  std::optional<RollGroup> rolls_;
  std::set<uint64_t> reserved_;   ///< first midstates of reserved groups ahead of the cursor
  uint64_t next_free_group_ = 0;  ///< extranonce2 values below this were reserved or passed
  WorkSpaceStats stats_;
};

}  // namespace synthminer::scheduler
