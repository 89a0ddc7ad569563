// VgpuJobs: the table behind /1/vgpu/jobs. A job is created queued when
// its request is accepted, started by the worker that takes it (unless it
// was cancelled or its deadline passed: then it never runs), and finished
// with its answer: done with the result, or failed with the status and the
// reason. A running job runs under a stop token (vgpu/payload/stop_token.h)
// holding its cancel flag and deadline: cancelling it marks it cancelled at
// once and the task stops at its next check; past its deadline the task
// stops and the job ends expired. (A step that cannot be interrupted, such
// as one dense product, finishes first; a result that arrives after the
// deadline is kept.) Finished jobs are kept for a while (by age, count and
// result bytes), then forgotten: their ids become unknown.
//
// States: queued -> running -> done | failed | expired; queued -> failed (a
// body refused before it ran) | cancelled | expired; running -> cancelled.
//
// Results are stored serialised (a GET copies bytes, it does not dump JSON
// again), which is also what the byte bound counts.
//
// Design: one mutex around the table; every call is short (no work runs
// under it). The clock is injected so tests move time by hand.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "vgpu/payload/stop_token.h"
#include "vgpu_service/vgpu_request.h"

namespace synthminer::vgpu_service {

enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled, kExpired };
/// "queued", "running", "done", "failed", "cancelled", "expired".
std::string_view to_string(JobState state);

struct VgpuJobsOptions {
  size_t max_kept = 1024;                     ///< finished jobs remembered at most
  std::chrono::seconds keep_for{600};         ///< how long a finished job is remembered
  size_t max_kept_bytes = size_t{256} << 20;  ///< serialised results kept at most, bytes
};

class VgpuJobs {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  explicit VgpuJobs(
      VgpuJobsOptions options = {}, Now now = [] { return Clock::now(); });

  /// A new queued job; returns its id, "j-" and 16 random hex digits.
  std::string create();
  /// The worker that took job `id` is about to run it; `deadline_ms` counts
  /// from its creation. The stop token to run it under (the job is now
  /// running) when it was queued and its deadline has not passed; nullopt
  /// otherwise: it was cancelled, it is now expired, or it is unknown.
  std::optional<jarvis::StopToken> start(const std::string& id, uint64_t deadline_ms);
  /// Job `id` ended (or was refused before it ran) with `answer`: done when
  /// its status is 200, expired when its task was stopped by the deadline,
  /// failed otherwise. A cancelled job stays cancelled and the answer is dropped.
  void finish(const std::string& id, const VgpuAnswer& answer);

  enum class Cancel { kCancelled, kAlreadyOver, kUnknown };
  /// Cancels job `id` if it is queued or running (a running task is told to stop).
  Cancel cancel(const std::string& id);

  /// Job `id` as the GET answer's JSON text: {"id", "state", "timings",
  /// "deadline_ms" once known, "result", "cached", "device" when done,
  /// "status" and "error" when failed}; nullopt when unknown.
  std::optional<std::string> view(const std::string& id);

  /// Jobs remembered (unfinished and finished).
  size_t size() const;

 private:
  struct Job {
    JobState state = JobState::kQueued;
    Clock::time_point created, started, finished;
    std::optional<uint64_t> deadline_ms;
    /// Set on cancel; the running task's stop token reads it.
    std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
    std::string result;   // when done: the answer's "result" as JSON text
    nlohmann::json meta;  // when done: cached, device; when failed: status, error
  };
  /// Moves `job` to `state` and into the finished list. mutex_ held.
  void end(const std::string& id, Job& job, JobState state);
  /// Forgets finished jobs past the age, count or byte bound. mutex_ held.
  void prune();
  /// An id not in use (random; the table is small next to 2^64). mutex_ held.
  std::string new_id();

  VgpuJobsOptions options_;
  Now now_;
  mutable std::mutex mutex_;
  std::map<std::string, Job, std::less<>> jobs_;
  std::deque<std::string> finished_;  // ids, oldest first
  size_t kept_bytes_ = 0;             // sum of the finished jobs' result sizes
  std::random_device random_;         // ids must not be guessable from earlier ones
};

}  // namespace synthminer::vgpu_service
