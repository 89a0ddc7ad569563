#include "vgpu_service/vgpu_jobs.h"

#include <cstdio>

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

double seconds_between(VgpuJobs::Clock::time_point from, VgpuJobs::Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

bool is_over(JobState state) {
  return state != JobState::kQueued && state != JobState::kRunning;
}

}  // namespace

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
    case JobState::kExpired:
      return "expired";
  }
  return "unknown";
}

VgpuJobs::VgpuJobs(VgpuJobsOptions options, Now now) : options_(options), now_(std::move(now)) {}

std::string VgpuJobs::new_id() {
  for (;;) {
    const uint64_t bits = (uint64_t{random_()} << 32) | random_();
    char id[24];
    std::snprintf(id, sizeof(id), "j-%016llx", static_cast<unsigned long long>(bits));
    if (jobs_.count(id) == 0) return id;
  }
}

std::string VgpuJobs::create() {
  std::lock_guard lock(mutex_);
  prune();
  std::string id = new_id();
  jobs_[id].created = now_();
  return id;
}

std::optional<jarvis::StopToken> VgpuJobs::start(const std::string& id, uint64_t deadline_ms) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  Job& job = it->second;
  job.deadline_ms = deadline_ms;
  if (job.state != JobState::kQueued) return std::nullopt;
  const auto now = now_();
  const auto deadline = job.created + std::chrono::milliseconds(deadline_ms);
  if (now > deadline) {
    end(id, job, JobState::kExpired);
    return std::nullopt;
  }
  job.state = JobState::kRunning;
  job.started = now;
  // The token reads the real clock; now_() may be a test's: carry the time left.
  return jarvis::StopToken(job.cancelled, jarvis::StopToken::Clock::now() + (deadline - now));
}

void VgpuJobs::finish(const std::string& id, const VgpuAnswer& answer) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || is_over(it->second.state)) return;
  Job& job = it->second;
  std::string result;
  if (answer.status == http::Status::ok) result = answer.result_text;
  if (result.size() > options_.max_kept_bytes) {
    job.meta = {{"status", static_cast<int>(http::Status::payload_too_large)},
                {"error", "result: " + std::to_string(result.size()) +
                              " bytes of JSON exceed what jobs keep (" +
                              std::to_string(options_.max_kept_bytes) + " bytes)"}};
    end(id, job, JobState::kFailed);
  } else if (answer.interrupted == "deadline_passed") {
    end(id, job, JobState::kExpired);
  } else if (answer.status == http::Status::ok) {
    job.result = std::move(result);
    job.meta = {{"cached", answer.cached}, {"device", answer.device}};
    end(id, job, JobState::kDone);
  } else {
    job.meta = {{"status", static_cast<int>(answer.status)},
                {"error", answer.body.value("error", "")}};
    end(id, job, JobState::kFailed);
  }
  prune();
}

VgpuJobs::Cancel VgpuJobs::cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return Cancel::kUnknown;
  if (is_over(it->second.state)) return Cancel::kAlreadyOver;
  it->second.cancelled->store(true, std::memory_order_relaxed);
  end(id, it->second, JobState::kCancelled);
  return Cancel::kCancelled;
}

std::optional<std::string> VgpuJobs::view(const std::string& id) {
  std::lock_guard lock(mutex_);
  prune();
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  const Job& job = it->second;
  const auto now = now_();
  const bool started = job.started != Clock::time_point{};
  const bool over = is_over(job.state);
  json timings;
  timings["queued_seconds"] = seconds_between(job.created, started ? job.started
                                                           : over  ? job.finished
                                                                   : now);
  if (started) timings["run_seconds"] = seconds_between(job.started, over ? job.finished : now);
  json doc = {{"id", id}, {"state", to_string(job.state)}, {"timings", std::move(timings)}};
  if (job.deadline_ms) doc["deadline_ms"] = *job.deadline_ms;
  if (job.meta.is_object()) doc.update(job.meta);
  std::string text = doc.dump();
  if (job.state == JobState::kDone) {
    // Spliced in as stored: the result is not parsed or dumped again.
    text.pop_back();  // the closing brace
    text += ",\"result\":" + job.result + "}";
  }
  return text;
}

size_t VgpuJobs::size() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

void VgpuJobs::end(const std::string& id, Job& job, JobState state) {
  job.state = state;
  job.finished = now_();
  kept_bytes_ += job.result.size();
  finished_.push_back(id);
}

void VgpuJobs::prune() {
  const auto now = now_();
  while (!finished_.empty()) {
    auto it = jobs_.find(finished_.front());
    const bool too_old = now - it->second.finished > options_.keep_for;
    if (!too_old && finished_.size() <= options_.max_kept && kept_bytes_ <= options_.max_kept_bytes)
      break;
    kept_bytes_ -= it->second.result.size();
    jobs_.erase(it);
    finished_.pop_front();
  }
}

}  // namespace synthminer::vgpu_service
