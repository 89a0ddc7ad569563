// stratum::Client: the Stratum v1 pool client. It keeps one session to one
// of the configured pools, hands jobs to a protocol::WorkListener, takes shares back
// with submit(), and accounts for every share.
//
// Design: the Client lives on one io thread; every handler, timer and socket
// is touched only there. Other threads reach it only through start(),
// stop() and submit(), which post to that thread, and share_stats(), which
// reads the ledger under its mutex. Parts, each in its own file:
//  - PoolSession (one per connection): handshake, messages, request ids and
//    timeouts, the job watchdog;
//  - SessionBook: the jobs of recent sessions, to judge each share;
//  - protocol::ShareLedger: counts per pool, found == accepted + rejected + stale + pending;
//  - Backoff and FailoverPolicy: when and where to reconnect; PoolProbe:
//    the health of the pools ahead of the current one, for failback.
// The connection state machine: connecting -> connected -> authorized ->
// disconnected -> (retry timer: back-off, or the wait client.reconnect
// asked for) -> connecting. A session becomes "ready" once authorized with
// a job: then shares go out at once; before that (and while disconnected)
// they wait in a bounded queue and are judged again when a session is ready.
//
// Share fates: the pool's answer decides accepted or rejected (its reason).
// A submit the pool does not answer within request_timeout counts as
// rejected "timeout"; one in flight when the connection drops as rejected
// "disconnected" (the pool may have seen it; we cannot credit it). Shares
// that are never sent count as stale with our reason: "job cleaned",
// "unknown job", "block changed", "pool changed", "session not resumed",
// "offline queue full", "session expired", "client stopped".
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hashcore/scan.h"
#include "protocol/job.h"
#include "protocol/share_ledger.h"
#include "protocol/work_item.h"
#include "protocol/work_source.h"
#include "stratum/backoff.h"
#include "stratum/client_options.h"
#include "stratum/failover.h"
#include "stratum/pool_session.h"
#include "stratum/pool_url.h"
#include "stratum/result.h"
#include "stratum/sent_shares.h"
#include "stratum/session_book.h"
#include "stratum/submit_budget.h"
#include "stratum/upstream.h"

namespace synthminer::stratum {

/// "synthminer/<project version>".
std::string default_user_agent();

class Client final : public protocol::WorkSource,
                     public SessionEvents,
                     public std::enable_shared_from_this<Client> {
 public:
  /// Checks the options (pool URLs, pins, at least one pool). The listener
  /// must outlive the client's io work: stop() it, let the io thread finish
  /// its handlers, then destroy both.
  /// `node`: how to mine the pools that are nodes (http:// URLs); without
  /// it such a pool is refused.
  static Result<std::shared_ptr<Client>> create(asio::io_context& io, ClientOptions options,
                                                protocol::WorkListener& listener,
                                                std::optional<NodeUpstream> node = std::nullopt);
  Client(asio::io_context& io, ClientOptions options, std::vector<PoolUrl> urls,
         std::vector<std::optional<protocol::Hash256>> pins, protocol::WorkListener& listener,
         std::optional<NodeUpstream> node);  // use create()
  ~Client();

  /// Connects to the first pool. Any thread.
  void start() override;
  /// Closes everything; shares not yet answered are accounted ("client
  /// stopped" or "disconnected"); the listener hears nothing afterwards.
  /// Any thread (runs at once on the io thread, else posted).
  void stop() override;
  /// Stops handing on jobs, gives the shares in flight (and those queued
  /// while offline) up to `drain` for their answers, then stop()s and posts
  /// `done`. A second call only posts its `done` once the first has
  /// finished. Any thread.
  void drain_and_stop(std::chrono::milliseconds drain, std::function<void()> done) override;
  /// Sends a share for a job from `session` (WorkItem::session; 0: the
  /// latest session). Any thread: posted to the io thread.
  /// `block`: the share also meets the network target; while offline it
  /// waits ahead of every other share and is never dropped for room.
  void submit(protocol::Share share, uint64_t session = 0, bool block = false);
  /// The same, with what the share was mined with (scheduler::job_ref):
  /// a share whose extranonce or version mask the pool has since changed is
  /// stale, never sent. Past stratum.max_submits_per_second a share counts
  /// as stale "submit rate limit"; a `block` never does.
  void submit(protocol::Share share, const protocol::JobRef& origin, bool block = false) override;

  /// Moves to pool `index` now, an operator's choice (the API's
  /// /1/pools/switch): the current session closes and the client connects
  /// there; failover and failback go on from it. Shares in flight are
  /// accounted as usual. False when there is no such pool. Any thread:
  /// checked here, carried out on the io thread.
  bool switch_pool(size_t index);

  /// Per-pool counts (ClientOptions::pools order). Any thread.
  std::vector<protocol::ShareStats> share_stats() const override { return ledger_.snapshot(); }
  protocol::ShareStats share_stats(size_t pool) const { return ledger_.snapshot(pool); }
  /// Every pool's shares added up. Any thread.
  protocol::ShareStats share_totals() const override { return ledger_.total(); }
  const ClientOptions& options() const { return options_; }
  double max_submits_per_second() const override { return options_.max_submits_per_second; }

  /// Replaces the pool list and the client-wide settings (config reload).
  /// Checked like create(); an error changes nothing. A pool whose entry is
  /// unchanged keeps its index, counts and, when it is the one in use, its
  /// connection (it only moves in the priority order); a pool that is new
  /// gets the next index; a removed pool keeps its index and counts but
  /// leaves the rotation. When the pool in use was removed or edited the
  /// client reconnects to the new first pool. Shares in flight are
  /// accounted as usual. io thread.
  Result<bool> update_options(ClientOptions options);

  /// Pool `index`'s display name (its configured name, else "host:port").
  /// io thread (a reload may add pools).
  const std::string& pool_name(size_t index) const override { return pools_.at(index).name; }
  /// Every pool known since start, retired ones included (their counts stay).
  size_t pool_count() const override { return pools_.size(); }
  /// The pools in rotation, by index, in priority order. io thread.
  const std::vector<size_t>& pool_order() const { return order_; }

  /// For tests and status pages; io thread only.
  size_t current_pool() const { return order_.at(failover_.current()); }
  bool ready() const { return ready_; }
  size_t queued_shares() const { return queue_.size(); }

 private:
  struct Pool {
    PoolOptions options;
    PoolUrl url;
    std::string name;
    std::optional<protocol::Hash256> pin;
    std::optional<std::string> resume_id;                      ///< last subscription id
    std::optional<std::pair<std::string, uint16_t>> redirect;  ///< a followed client.reconnect
    std::optional<SubmitBudget> budget;                        ///< from the first submit on
  };
  struct Queued {
    protocol::Share share;
    uint64_t session = 0;
    size_t pool = 0;     ///< whose ledger counted it as found
    bool block = false;  ///< meets the network target: queued ahead, never evicted
    std::optional<protocol::JobRef> origin;
  };

  // SessionEvents
  void on_session_connected(UpstreamSession& session) override;
  void on_session_subscribed(UpstreamSession& session, const protocol::Extranonce& extranonce,
                             const std::optional<std::string>& resume_id) override;
  void on_session_authorized(UpstreamSession& session) override;
  void on_session_job(UpstreamSession& session, const protocol::WorkItem& job) override;
  void on_session_difficulty(UpstreamSession& session, double difficulty) override;
  void on_session_closed(UpstreamSession& session, const SessionEnd& end) override;

  void do_connect();
  void do_retry(Millis delay);
  void on_retry(const boost::system::error_code& ec);
  void end_session(const std::string& reason);
  void emit_state(protocol::ConnectionState state, const std::string& reason = {});
  LineEndpoint endpoint_for(size_t pool) const;
  SessionConfig session_config_for(size_t pool) const;

  void handle_submit(protocol::Share share, uint64_t session, bool block,
                     std::optional<protocol::JobRef> origin);
  /// False when pool `pool`'s submit budget is spent (logged once).
  bool within_submit_budget(size_t pool);
  void route(Queued entry, const Verdict& verdict);
  void send_share(Queued entry, double difficulty);
  void enqueue(Queued entry);
  void resolve(const Queued& entry, size_t pool, protocol::ShareFate fate, double difficulty,
               const std::string& reason);
  void drain_queue();
  void become_ready();

  void do_probe_timer();
  void on_probe_timer(const boost::system::error_code& ec);
  void on_probe_done(size_t pool, bool healthy, const std::string& reason);
  /// Also ends a drain: its `done`s are posted.
  void do_shutdown();
  void do_switch(size_t pool);
  /// The rotation position of pool `index`, if it is in the rotation.
  std::optional<size_t> position_of(size_t index) const;

  asio::io_context& io_;
  ClientOptions options_;
  protocol::WorkListener* listener_;  ///< null once stopped
  std::vector<Pool> pools_;           ///< append-only: an index names one pool for good
  std::vector<size_t> order_;         ///< failover position -> index into pools_
  protocol::ShareLedger ledger_;
  std::shared_ptr<common::LogThrottle> log_throttle_;  ///< shared with each session
  SessionBook book_;
  SentShares sent_;  ///< every share handed on, so that none goes out twice
  Backoff backoff_;
  FailoverPolicy failover_;
  asio::steady_timer retry_timer_;
  asio::steady_timer probe_timer_;
  asio::steady_timer drain_timer_;
  /// Set while draining: called (posted) once stopped.
  std::vector<std::function<void()>> drained_;
  std::optional<NodeUpstream> node_;
  std::shared_ptr<UpstreamSession> session_;
  std::map<size_t, std::shared_ptr<UpstreamProbe>> probes_;
  std::deque<Queued> queue_;
  size_t session_pool_ = 0;    ///< pool of session_ (the policy may move on before it closes)
  uint64_t book_session_ = 0;  ///< session_'s id in book_ (0 until subscribed)
  bool authorized_ = false;
  bool have_job_ = false;
  bool ready_ = false;
  bool started_ = false;
  bool draining_ = false;
  bool stopped_ = false;
};

}  // namespace synthminer::stratum
