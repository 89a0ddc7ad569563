// The jobs of the current and the last few sessions, so that every share can
// be judged: send it now, keep it until the session is ready, or call it
// stale with a reason. Pure bookkeeping on the io thread.
//
// A session starts at a successful mining.subscribe and has an id unique in
// this client (from 1). A share names the session its job came from (0: the
// current one). A share from an earlier session is still sent when the new
// session resumed the old one: same pool, same extranonce, and the job's
// block (prevhash) is still the one the pool is working on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "protocol/job.h"
#include "protocol/work_item.h"

namespace synthminer::stratum {

struct JobRecord {
  protocol::Hash256 prevhash{};
  double difficulty = 0;  ///< in force when the job arrived: what an accepted share is worth
  bool cleaned = false;   ///< a later clean job made it worthless
};

struct SessionRecord {
  uint64_t id = 0;
  size_t pool = 0;
  protocol::Extranonce extranonce;            ///< in force now
  uint32_t version_mask = 0;                  ///< in force now
  std::optional<protocol::Hash256> prevhash;  ///< of the latest job
  std::map<std::string, JobRecord> jobs;
  std::deque<std::string> job_order;  ///< arrival order, for the bound
};

struct Verdict {
  enum class Kind { kSend, kWait, kStale };
  Kind kind = Kind::kStale;
  size_t pool = 0;        ///< whose ledger counts the share
  double difficulty = 0;  ///< the job's difficulty (kSend)
  std::string reason;     ///< kStale
};

class SessionBook {
 public:
  static constexpr size_t kMaxSessions = 4;
  static constexpr size_t kMaxJobsPerSession = 64;

  /// A new current session on `pool`; returns its id.
  uint64_t open(size_t pool, const protocol::Extranonce& extranonce);
  /// The connection is gone: no current session until the next open().
  void close_current() { current_ = 0; }
  /// A job in the current session (clean_jobs already final: a prevhash
  /// change counts as clean). A clean job makes the older ones worthless.
  void add_job(const protocol::Job& job, const protocol::Extranonce& extranonce, double difficulty,
               uint32_t version_mask = 0);

  const SessionRecord* current() const { return find(current_); }
  const SessionRecord* find(uint64_t id) const;
  /// The current session, else the latest one (0 when none ever was).
  uint64_t latest_id() const;

  /// Judges a share from session `session` (0: the latest). `ready`: the
  /// current session is authorized and has a job. `fallback_pool` counts
  /// shares whose session is long gone. With its `origin`, a share mined
  /// with an extranonce or a version mask (when it rolled) that its session
  /// no longer has is stale: the pool would rebuild another header.
  Verdict judge(const protocol::Share& share, uint64_t session, bool ready, size_t fallback_pool,
                const std::optional<protocol::JobRef>& origin = std::nullopt) const;

 private:
  Verdict judge_old(const SessionRecord& old, const JobRecord& job, bool ready) const;

  uint64_t next_id_ = 1;
  uint64_t current_ = 0;
  std::deque<SessionRecord> sessions_;  ///< oldest first
};

}  // namespace synthminer::stratum
