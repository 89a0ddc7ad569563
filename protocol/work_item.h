// A job as it travels from its source (a pool session today, a node's block
// template later) to the scheduler: one value, copied, never re-assembled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "hashcore/scan.h"
#include "protocol/job.h"

namespace synthminer::protocol {

/// One job to mine, with everything its source says about how: the
/// extranonce and version mask in force, the share difficulty, and who
/// issued it (pass `session` back with its shares, see JobRef).
struct WorkItem {
  size_t pool = 0;        ///< the source's pool index (ClientOptions::pools order)
  std::string pool_name;  ///< for logs and telemetry
  uint64_t session = 0;   ///< the session that issued the job
  Job job;                ///< clean_jobs: drop all older work (a prevhash change counts)
  Extranonce extranonce;  ///< extranonce1 and the extranonce2 size for this job
  double difficulty = 1;  ///< share difficulty for this job
  hashcore::Target share_target;
  uint32_t version_mask = 0;  ///< bits that may be rolled; 0: leave the version alone
};

/// What a share was mined with, carried back to the source that issued its
/// job: the session, the extranonce and version mask in force, the job's
/// previous-block hash, its id and the scheduler's generation. A pool that
/// changes the extranonce or the mask re-issues the same job id, so the id
/// alone cannot tell an old share from a good one.
struct JobRef {
  uint64_t session = 0;
  Extranonce extranonce;
  uint32_t version_mask = 0;
  Hash256 prevhash{};
  std::string job_id;
  uint64_t generation = 0;  ///< the scheduler's JobGeneration the share was found in
};

/// The reference a share of `work` carries, found in `generation`.
inline JobRef job_ref(const WorkItem& work, uint64_t generation) {
  return JobRef{work.session,      work.extranonce, work.version_mask,
                work.job.prevhash, work.job.job_id, generation};
}

}  // namespace synthminer::protocol
