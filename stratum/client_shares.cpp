// The Client's share path: judge each share against the session book, send
// it, keep it while no session is ready, and account for its fate.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "common/printable.h"
#include "stratum/client.h"

namespace synthminer::stratum {

void Client::submit(protocol::Share share, uint64_t session, bool block) {
  asio::post(io_, [self = shared_from_this(), share = std::move(share), session, block]() mutable {
    self->handle_submit(std::move(share), session, block, std::nullopt);
  });
}

void Client::submit(protocol::Share share, const protocol::JobRef& origin, bool block) {
  asio::post(io_, [self = shared_from_this(), share = std::move(share), origin, block]() mutable {
    self->handle_submit(std::move(share), origin.session, block, origin);
  });
}

void Client::handle_submit(protocol::Share share, uint64_t session, bool block,
                           std::optional<protocol::JobRef> origin) {
  if (session == 0) session = book_.latest_id();
  const Verdict verdict = book_.judge(share, session, ready_, current_pool(), origin);
  Queued entry{std::move(share), session, verdict.pool, block, std::move(origin)};
  ledger_.found(entry.pool);
  if (stopped_) return resolve(entry, entry.pool, protocol::ShareFate::kStale, 0, "client stopped");
  if (verdict.kind != Verdict::Kind::kStale && !sent_.insert(session, entry.share)) {
    return resolve(entry, entry.pool, protocol::ShareFate::kStale, 0, "duplicate (not sent)");
  }
  route(std::move(entry), verdict);
}

void Client::route(Queued entry, const Verdict& verdict) {
  switch (verdict.kind) {
    case Verdict::Kind::kSend:
      return send_share(std::move(entry), verdict.difficulty);
    case Verdict::Kind::kWait:
      return enqueue(std::move(entry));
    case Verdict::Kind::kStale:
      return resolve(entry, entry.pool, protocol::ShareFate::kStale, 0, verdict.reason);
  }
}

void Client::send_share(Queued entry, double difficulty) {
  if (!session_ || !ready_) return enqueue(std::move(entry));
  if (!entry.block && !within_submit_budget(entry.pool)) {
    return resolve(entry, entry.pool, protocol::ShareFate::kStale, 0, "submit rate limit");
  }
  auto share = entry.share;
  const auto written = std::chrono::steady_clock::now();
  session_->submit(share, [weak = weak_from_this(), entry = std::move(entry), difficulty, written](
                              protocol::ShareFate fate, const std::string& reason) {
    auto self = weak.lock();
    if (!self) return;
    self->ledger_.round_trip(
        entry.pool,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - written).count());
    self->resolve(entry, entry.pool, fate, fate == protocol::ShareFate::kStale ? 0 : difficulty,
                  reason);
  });
}

void Client::enqueue(Queued entry) {
  if (options_.offline_queue_limit == 0) {
    return resolve(entry, entry.pool, protocol::ShareFate::kStale, 0, "offline queue full");
  }
  // Room is made by dropping the oldest ordinary share; a found block is
  // worth more than any of them and is sent first when a session is ready.
  while (queue_.size() >= options_.offline_queue_limit) {
    auto oldest =
        std::find_if(queue_.begin(), queue_.end(), [](const Queued& q) { return !q.block; });
    if (oldest == queue_.end()) break;
    Queued dropped = std::move(*oldest);
    queue_.erase(oldest);
    resolve(dropped, dropped.pool, protocol::ShareFate::kStale, 0, "offline queue full");
  }
  if (entry.block) {
    const auto after_blocks =
        std::find_if(queue_.begin(), queue_.end(), [](const Queued& q) { return !q.block; });
    queue_.insert(after_blocks, std::move(entry));
  } else {
    queue_.push_back(std::move(entry));
  }
}

// Called when a session becomes ready: each waiting share is judged again
// against it (sent when its job is still good there, else stale).
void Client::drain_queue() {
  auto waiting = std::exchange(queue_, {});
  for (Queued& entry : waiting) {
    const Verdict verdict =
        book_.judge(entry.share, entry.session, ready_, current_pool(), entry.origin);
    route(std::move(entry), verdict);
  }
}

bool Client::within_submit_budget(size_t pool) {
  const auto now = SubmitBudget::Clock::now();
  auto& budget = pools_[pool].budget;
  if (!budget) budget.emplace(options_.max_submits_per_second, now);
  if (budget->take(now)) return true;
  if (budget->held_back() == 1) {
    spdlog::warn(
        "[{}] more than {} shares a second: the rest are held back and count as stale "
        "'submit rate limit' (stratum.max_submits_per_second; logged once)",
        pools_[pool].name, options_.max_submits_per_second);
  }
  return false;
}

void Client::resolve(const Queued& entry, size_t pool, protocol::ShareFate fate, double difficulty,
                     const std::string& reason) {
  ledger_.resolve(pool, fate, difficulty, reason);
  const std::string& name = pools_[pool].name;
  // Job ids and reasons are the pool's text; a flood of either is counted, not
  // logged. "submit rate limit" is logged once, when it starts.
  const auto v = reason == "submit rate limit"
                     ? common::LogThrottle::Verdict{}
                     : log_throttle_->admit(std::string("share ") + to_string(fate) + " " + name);
  if (v && fate == protocol::ShareFate::kAccepted) {
    spdlog::info("[{}] share accepted (job {}, difficulty {}){}", name,
                 common::printable(entry.share.job_id), difficulty, v.suffix());
  } else if (v) {
    spdlog::warn("[{}] share {} (job {}): {}{}", name, to_string(fate),
                 common::printable(entry.share.job_id), common::printable(reason), v.suffix());
  }
  if (listener_ != nullptr) {
    listener_->on_share_result(
        protocol::ShareResult{pool, entry.session, entry.share, fate, reason, difficulty});
  }
  // The last answer a drain waited for: stop now rather than at its deadline
  // (posted: stopping resolves the queue, which comes back here).
  if (draining_ && ledger_.pending() == 0) {
    asio::post(io_, [self = shared_from_this()] { self->do_shutdown(); });
  }
}

}  // namespace synthminer::stratum
