// One connection to one pool, from connect to close: the Stratum session.
//
// Design: the Client creates one PoolSession per connection attempt; it is
// owned by shared_ptr and every handler runs on the io thread. It owns the
// LineConnection, the RequestTracker with one timer at the earliest request
// deadline (do_request_timer / on_request_timer) and the job watchdog, a
// timer re-armed by every mining.notify (arm_watchdog / on_watchdog).
//  - Order: on connect, mining.configure (only with version rolling) and
//    mining.subscribe go out together; mining.authorize follows the
//    subscribe reply; after the authorize reply the optional
//    mining.extranonce.subscribe and mining.suggest_difficulty, whose
//    replies are never awaited (a pool may never answer them).
//  - Work is accepted whenever it comes (ckpool sends set_difficulty and
//    notify before the authorize reply). set_difficulty applies from the
//    next job; a prevhash change, or the first job, is clean whatever the
//    flag says. set_extranonce and set_version_mask re-issue the latest job,
//    clean, with the new values.
//  - It talks to the Client through SessionEvents, held weakly, and ends
//    once: on_session_closed(SessionEnd) on any failure or client.reconnect;
//    close() by the Client reports nothing. Either way, requests still
//    waiting (submits included) end as kClosed first.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/job.h"
#include "protocol/messages.h"
#include "protocol/work_item.h"
#include "stratum/client_options.h"
#include "stratum/line_connection.h"
#include "stratum/request_tracker.h"
#include "stratum/upstream.h"

namespace synthminer::stratum {

class PoolSession final : public UpstreamSession, public std::enable_shared_from_this<PoolSession> {
 public:
  PoolSession(asio::io_context& io, SessionConfig config, std::weak_ptr<SessionEvents> events);
  ~PoolSession();

  void start() override;
  /// Closes without reporting on_session_closed; waiting requests end as kClosed.
  void close() override;
  /// Sends mining.submit; `done` runs once, on the io thread.
  void submit(const protocol::Share& share, SubmitDone done) override;

  const SessionConfig& config() const override { return config_; }
  bool authorized() const { return state_ == State::kAuthorized; }
  /// Authorized and given a job: the pool serves work.
  bool served_work() const override { return authorized() && latest_job_.has_value(); }
  uint64_t lines_ignored() const { return lines_ignored_; }

 private:
  enum class State { kConnecting, kSubscribing, kAuthorizing, kAuthorized, kClosed };

  void on_connected();
  void on_line(std::string line);
  void on_response(const protocol::Incoming& msg);
  void on_method(const protocol::Incoming& msg);
  void on_subscribe_reply(const Reply& reply);
  void on_authorize_reply(const Reply& reply);
  void on_configure_reply(const Reply& reply);
  void on_notify(const protocol::json& params);
  void on_set_difficulty(const protocol::json& params);
  void on_set_extranonce(const protocol::json& params);
  void on_set_version_mask(const protocol::json& params);
  void on_reconnect(const protocol::json& params);
  void answer(const protocol::Incoming& msg, const protocol::json& result);
  void answer_error(const protocol::Incoming& msg, int code, const std::string& message);
  void reissue_latest_job();
  void on_submit_timed_out();

  uint64_t send_request(std::string method, const protocol::json& params, bool timed,
                        RequestTracker::Callback done);
  void do_request_timer();
  void on_request_timer(const boost::system::error_code& ec);
  void arm_watchdog();
  void on_watchdog(const boost::system::error_code& ec);
  void finish(SessionEnd end);
  void shut();

  asio::io_context& io_;
  SessionConfig config_;
  std::weak_ptr<SessionEvents> events_;
  std::shared_ptr<LineConnection> conn_;
  RequestTracker requests_;
  asio::steady_timer request_timer_;
  asio::steady_timer watchdog_;

  State state_ = State::kConnecting;
  protocol::Extranonce extranonce_;
  double difficulty_ = 1.0;  ///< for the next job (Stratum's default is 1)
  uint32_t version_mask_ = 0;
  std::optional<protocol::Hash256> prevhash_;
  std::optional<protocol::WorkItem> latest_job_;
  uint64_t lines_ignored_ = 0;
  uint32_t submit_timeouts_in_a_row_ = 0;
};

}  // namespace synthminer::stratum
