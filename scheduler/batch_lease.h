// BatchLease: a worker's claim on the batch it is hashing, where the stall
// monitor can see it. The worker takes the batch piece by piece; when the
// batch runs past its deadline the monitor revokes the lease and gets back
// every unit not yet finished (the piece in progress included), to hand to
// other devices. The worker learns of it when its piece returns, and drops
// that piece's results: another device hashes those nonces again.
//
// A roll batch (the same run of several midstates) is taken in lockstep:
// each piece is the same sub-run of every unit.
//
// Design: one mutex per lease, taken once per piece (every ~5 ms of work)
// by the worker and every monitor tick by the monitor; never held while
// hashing.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "scheduler/work_space.h"

namespace synthminer::scheduler {

class BatchLease {
 public:
  using Clock = std::chrono::steady_clock;

  /// Worker: starts hashing `batch`, which must be finished by `deadline`.
  void begin(const Batch& batch, Clock::time_point deadline);
  /// Worker: the next piece of at most `max_nonces` (>= 1) nonces: of a
  /// plain batch, one piece, in order; of a roll batch (Batch::rolls: every
  /// unit the same nonce run), the same run of each unit. Empty when the
  /// batch is done or the lease was revoked.
  std::vector<WorkUnit> next_pieces(uint64_t max_nonces);
  /// Worker: the piece from next_pieces() is hashed. False if the lease was
  /// revoked meanwhile: the piece went back to the queue, drop its results.
  bool finish_piece();
  /// Worker: ends the lease and returns the units not yet hashed (for
  /// give-back when a clean job or stop cuts the batch short).
  std::vector<WorkUnit> end();

  /// Monitor: if the batch is past its deadline, revokes the lease and
  /// returns every unit not yet finished (empty otherwise).
  std::vector<WorkUnit> revoke_if_overdue(Clock::time_point now);
  /// True once revoked, until the next begin().
  bool revoked() const;

 private:
  std::optional<WorkUnit> take_locked(uint64_t max_nonces);

  mutable std::mutex mutex_;
  bool active_ = false;
  bool revoked_ = false;
  bool rolls_ = false;
  Clock::time_point deadline_{};
  std::deque<WorkUnit> remaining_;
  std::vector<WorkUnit> in_progress_;
};

}  // namespace synthminer::scheduler
