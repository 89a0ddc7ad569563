// WorkSpace: the nonce space of the current job as a logical queue of
// WorkUnits, generated on demand and never materialised. Midstate 0's 2^32
// nonces come first, then midstate 1's (the next version roll or
// extranonce2), and so on. Units a device gives back (it stalled, or was
// disabled) are handed out again before any fresh nonces.
//
// Design: one mutex guards the cursor and the given-back queue; workers
// take a batch every few tens of milliseconds, so contention is negligible.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
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

/// A run of units of one midstate, for one device.
struct Batch {
  std::vector<WorkUnit> units;
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
  /// Starts handing out `job` from midstate 0, nonce 0; given-back units of
  /// other jobs are dropped. nullptr: no work until the next job.
  void set_job(std::shared_ptr<const JobContext> job);

  /// The next run of at most `max_nonces` (>= 1) nonces of one midstate:
  /// a given-back unit first, else fresh nonces. nullopt when there is no
  /// job or its space is used up.
  std::optional<WorkUnit> take(uint64_t max_nonces);

  /// Units of one midstate totalling at most `max_nonces` (>= 1) nonces.
  Batch take_batch(uint64_t max_nonces);

  /// Hands `unit` out again before fresh nonces; ignored if its job is gone.
  void give_back(WorkUnit unit);

  WorkSpaceStats stats() const;

 private:
  std::optional<WorkUnit> take_locked(uint64_t max_nonces);
  std::optional<uint64_t> next_midstate_locked() const;

  mutable std::mutex mutex_;
  std::shared_ptr<const JobContext> job_;
  uint64_t midstate_ = 0;    ///< cursor: midstate of the next fresh nonce
  uint64_t next_nonce_ = 0;  ///< cursor: 0..2^32
  std::deque<WorkUnit> given_back_;
  WorkSpaceStats stats_;
};

}  // namespace synthminer::scheduler
