#include "stratum/request_tracker.h"

#include <utility>
#include <vector>

namespace synthminer::stratum {

uint64_t RequestTracker::add(std::string method, std::optional<Clock::time_point> deadline,
                             Callback done) {
  const uint64_t id = next_id_++;
  pending_.emplace(id, Pending{std::move(method), deadline, std::move(done)});
  return id;
}

// Each callback runs after its entry is removed, so it may add requests or
// close everything without invalidating what we iterate.
bool RequestTracker::answer(uint64_t id, nlohmann::json result, std::string error) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  Callback done = std::move(it->second.done);
  pending_.erase(it);
  if (done) done(Reply{Reply::Status::kAnswered, std::move(result), std::move(error)});
  return true;
}

void RequestTracker::expire(Clock::time_point now) {
  std::vector<Callback> expired;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline && *it->second.deadline <= now) {
      expired.push_back(std::move(it->second.done));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& done : expired) {
    if (done) done(Reply{Reply::Status::kTimedOut, nullptr, "timeout"});
  }
}

void RequestTracker::close_all() {
  auto all = std::exchange(pending_, {});
  for (auto& [id, p] : all) {
    if (p.done) p.done(Reply{Reply::Status::kClosed, nullptr, "disconnected"});
  }
}

std::optional<RequestTracker::Clock::time_point> RequestTracker::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [id, p] : pending_) {
    if (p.deadline && (!earliest || *p.deadline < *earliest)) earliest = p.deadline;
  }
  return earliest;
}

std::string RequestTracker::method_of(uint64_t id) const {
  auto it = pending_.find(id);
  return it == pending_.end() ? std::string() : it->second.method;
}

}  // namespace synthminer::stratum
