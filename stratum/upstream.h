// What the Client talks to: one upstream session per connection attempt.
// A Stratum pool is a PoolSession; a node (an http:// or https:// entry in
// the pools list, mined by getblocktemplate) is a session the daemon's
// NodeUpstream factory makes, so that failover, the share ledger and the
// session book treat both alike. The Client knows only these interfaces.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/job.h"
#include "protocol/share_ledger.h"
#include "protocol/work_item.h"
#include "stratum/client_options.h"
#include "stratum/line_connection.h"

namespace synthminer::stratum {

class UpstreamSession;

/// Everything one connection needs.
struct SessionConfig {
  size_t pool = 0;        ///< index in ClientOptions::pools
  std::string pool_name;  ///< for logs
  LineEndpoint endpoint;  ///< maybe a followed client.reconnect
  PoolOptions pool_options;
  std::string user_agent;
  std::optional<std::string> resume_id;  ///< the previous subscription id on this pool
  Millis request_timeout{30000};
  Millis job_timeout{180000};
  Millis max_reconnect_wait{60000};
  uint32_t max_submit_timeouts = 3;  ///< unanswered submits in a row that end the session
  /// Shared with the client so that the limits outlive each connection.
  std::shared_ptr<common::LogThrottle> log_throttle = std::make_shared<common::LogThrottle>();
};

/// Why a session ended.
struct SessionEnd {
  std::string reason;
  bool failure = true;  ///< counts towards failover (false: the pool asked us to reconnect)
  std::optional<std::pair<std::string, uint16_t>> redirect;  ///< client.reconnect target
  Millis wait{0};                                            ///< before reconnecting

  static SessionEnd failed(std::string why) { return SessionEnd{std::move(why), true, {}, {}}; }
};

class SessionEvents {
 public:
  virtual void on_session_connected(UpstreamSession& session) = 0;
  virtual void on_session_subscribed(UpstreamSession& session,
                                     const protocol::Extranonce& extranonce,
                                     const std::optional<std::string>& resume_id) = 0;
  virtual void on_session_authorized(UpstreamSession& session) = 0;
  /// `job`: the job, extranonce, difficulty and version mask in force
  /// (clean_jobs final: a prevhash change or the first job sets it); the
  /// client adds who issued it.
  virtual void on_session_job(UpstreamSession& session, const protocol::WorkItem& job) = 0;
  virtual void on_session_difficulty(UpstreamSession& session, double difficulty) = 0;
  virtual void on_session_closed(UpstreamSession& session, const SessionEnd& end) = 0;

 protected:
  ~SessionEvents() = default;
};

/// One connection's worth of talk with an upstream. Every call and every
/// SessionEvents callback happens on the io thread; a session reports
/// on_session_closed once, on any failure, and nothing after close().
class UpstreamSession {
 public:
  /// kAccepted; kRejected with the upstream's reason, "timeout" or
  /// "disconnected"; kStale when the upstream judged it futile and never
  /// sent it (a node: a block on that tip was already sent).
  using SubmitDone = std::function<void(protocol::ShareFate fate, const std::string& reason)>;

  virtual ~UpstreamSession() = default;
  virtual void start() = 0;
  /// Closes without reporting on_session_closed; submits waiting end with
  /// SubmitDone(kRejected, "disconnected").
  virtual void close() = 0;
  /// Sends the share; `done` runs once, on the io thread.
  virtual void submit(const protocol::Share& share, SubmitDone done) = 0;
  virtual const SessionConfig& config() const = 0;
  /// The upstream has handed out work (authorized and a job).
  virtual bool served_work() const = 0;
};

/// A health check of an upstream ahead of the current one (failback).
class UpstreamProbe {
 public:
  using Done = std::function<void(bool healthy, const std::string& reason)>;
  virtual ~UpstreamProbe() = default;
  /// Reports once, on the io thread, within the timeout it was made with.
  virtual void start(Done done) = 0;
  /// Reports nothing.
  virtual void cancel() = 0;
};

/// How the Client reaches a node (pools whose URL is http:// or https://):
/// given by the daemon, which links the solo module; without it such an
/// entry is refused.
struct NodeUpstream {
  std::function<std::shared_ptr<UpstreamSession>(asio::io_context&, SessionConfig,
                                                 std::weak_ptr<SessionEvents>)>
      make_session;
  std::function<std::shared_ptr<UpstreamProbe>(asio::io_context&, const SessionConfig&,
                                               Millis timeout)>
      make_probe;
};

}  // namespace synthminer::stratum
