// Where jobs come from and where their shares go, as the daemon sees it: a
// Stratum pool client today, a node's block template (getblocktemplate)
// beside it later. The scheduler knows neither; it mines WorkItems.
#pragma once

#include "protocol/job.h"
#include "protocol/work_item.h"

namespace synthminer::protocol {

/// Hears the jobs of a WorkSource, on the source's own thread; a handler
/// must not block.
class WorkListener {
 public:
  virtual ~WorkListener() = default;
  /// A new job to mine (job.clean_jobs: drop all older work).
  virtual void on_job(const WorkItem& work) = 0;
};

class WorkSource {
 public:
  virtual ~WorkSource() = default;
  /// Starts fetching jobs. Any thread.
  virtual void start() = 0;
  /// Stops; the listener hears nothing afterwards. Any thread.
  virtual void stop() = 0;
  /// Sends a share found for the job `ref` names, judged against the source's
  /// current state (a share of a job the source no longer holds is stale,
  /// never sent). `block`: it also meets the network target. Any thread.
  virtual void submit(Share share, const JobRef& ref, bool block) = 0;
};

}  // namespace synthminer::protocol
