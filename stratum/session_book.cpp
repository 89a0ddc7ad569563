#include "stratum/session_book.h"

namespace synthminer::stratum {
namespace {

Verdict stale(size_t pool, std::string reason) {
  return Verdict{Verdict::Kind::kStale, pool, 0, std::move(reason)};
}

bool same_extranonce(const protocol::Extranonce& a, const protocol::Extranonce& b) {
  return a.extranonce1 == b.extranonce1 && a.extranonce2_size == b.extranonce2_size;
}

}  // namespace

uint64_t SessionBook::open(size_t pool, const protocol::Extranonce& extranonce) {
  SessionRecord rec;
  rec.id = next_id_++;
  rec.pool = pool;
  rec.extranonce = extranonce;
  sessions_.push_back(std::move(rec));
  while (sessions_.size() > kMaxSessions) sessions_.pop_front();
  current_ = sessions_.back().id;
  return current_;
}

void SessionBook::add_job(const protocol::Job& job, const protocol::Extranonce& extranonce,
                          double difficulty, uint32_t version_mask) {
  if (current_ == 0) return;
  SessionRecord& rec = sessions_.back();
  rec.extranonce = extranonce;
  rec.version_mask = version_mask;
  rec.prevhash = job.prevhash;
  if (job.clean_jobs) {
    for (auto& [id, j] : rec.jobs) j.cleaned = true;
  }
  if (rec.jobs.find(job.job_id) == rec.jobs.end()) rec.job_order.push_back(job.job_id);
  rec.jobs[job.job_id] = JobRecord{job.prevhash, difficulty, false};
  while (rec.job_order.size() > kMaxJobsPerSession) {
    rec.jobs.erase(rec.job_order.front());
    rec.job_order.pop_front();
  }
}

const SessionRecord* SessionBook::find(uint64_t id) const {
  for (const SessionRecord& rec : sessions_) {
    if (rec.id == id) return &rec;
  }
  return nullptr;
}

uint64_t SessionBook::latest_id() const {
  if (current_ != 0) return current_;
  return sessions_.empty() ? 0 : sessions_.back().id;
}

Verdict SessionBook::judge(const protocol::Share& share, uint64_t session, bool ready,
                           size_t fallback_pool,
                           const std::optional<protocol::JobRef>& origin) const {
  if (session == 0) session = latest_id();
  const SessionRecord* rec = find(session);
  if (rec == nullptr) return stale(fallback_pool, session == 0 ? "no session" : "session expired");
  auto it = rec->jobs.find(share.job_id);
  if (it == rec->jobs.end()) return stale(rec->pool, "unknown job");
  const JobRecord& job = it->second;
  if (job.cleaned) return stale(rec->pool, "job cleaned");
  if (origin && !same_extranonce(origin->extranonce, rec->extranonce)) {
    return stale(rec->pool, "extranonce changed");
  }
  if (origin && share.version_bits && origin->version_mask != rec->version_mask) {
    return stale(rec->pool, "version mask changed");
  }
  if (rec->id != current_) return judge_old(*rec, job, ready);
  if (!ready) return Verdict{Verdict::Kind::kWait, rec->pool, job.difficulty, {}};
  return Verdict{Verdict::Kind::kSend, rec->pool, job.difficulty, {}};
}

Verdict SessionBook::judge_old(const SessionRecord& old, const JobRecord& job, bool ready) const {
  const SessionRecord* now = current();
  const Verdict wait{Verdict::Kind::kWait, old.pool, job.difficulty, {}};
  if (now == nullptr) return wait;  // offline: decide once a session is back
  if (now->pool != old.pool) return stale(old.pool, "pool changed");
  if (!same_extranonce(now->extranonce, old.extranonce))
    return stale(old.pool, "session not resumed");
  if (!ready || !now->prevhash) return wait;
  if (*now->prevhash != job.prevhash) return stale(old.pool, "block changed");
  return Verdict{Verdict::Kind::kSend, old.pool, job.difficulty, {}};
}

}  // namespace synthminer::stratum
