// One miner's connection to DemoPool, and the narrow interface through which
// it reaches the pool (SessionHost). Internal to DemoPool.
#pragma once

#include <utility>  // before Asio: a Boost 1.74 bug

#include <boost/asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "demo_pool/demo_pool.h"

namespace synthminer::demo_pool {

/// Fault settings that sessions read on every message.
struct FaultSettings {
  std::chrono::milliseconds response_delay{0};
  std::vector<std::string> unanswered;  ///< methods left unanswered; "*" is every method

  bool answers(std::string_view method) const;
};

/// What a session needs from the pool. Called on the io thread only.
class SessionHost {
 public:
  virtual const DemoPoolOptions& options() const = 0;
  virtual FaultSettings faults() const = 0;
  virtual std::shared_ptr<const protocol::Job> current_job() const = 0;
  virtual std::string random_id() = 0;
  /// kNone, or the rejection to inject for the valid share in hand.
  virtual Reject injected_reject() = 0;
  virtual void on_received(uint64_t session, const protocol::Incoming& message) = 0;
  virtual void on_share(ShareRecord record) = 0;
  virtual void on_closed(uint64_t session) = 0;

 protected:
  ~SessionHost() = default;
};

// Design: one miner, one socket, on DemoPool's single io thread, so no strand
// and no locks: everything here runs in handlers of that thread.
//  - Reading: do_read / on_read take one line at a time (async_read_until,
//    bounded by options().max_line_bytes); each line is parsed, reported to
//    the host and handled; a bad line is logged and skipped, an over-long
//    one closes the connection.
//  - Writing: every outgoing line goes through one queue (do_write /
//    on_write), one async_write at a time. Responses may first wait in a
//    second queue with their due times (do_delay / on_delay, one timer) when
//    a response delay is set; notifications never wait.
//  - State: subscribed -> (authorized or ckpool style) -> working. Every job
//    sent is remembered with the extranonce and difficulty in force when it
//    was sent, and shares are judged against exactly that.
//  - close() is idempotent: it closes the socket, cancels the timer, and
//    tells the host once; pending handlers then see an error and stop.
class DemoSession : public std::enable_shared_from_this<DemoSession> {
 public:
  DemoSession(boost::asio::ip::tcp::socket socket, SessionHost& host, uint64_t id,
              protocol::Extranonce extranonce, double difficulty);

  void start();
  void close();

  uint64_t id() const { return id_; }
  bool subscribed() const { return subscribed_; }
  bool working() const { return working_; }

  /// mining.notify when working; `clean` forgets the jobs sent before.
  void send_job(std::shared_ptr<const protocol::Job> job, bool clean);
  /// Difficulty for the next job; mining.set_difficulty now when working.
  void send_difficulty(double difficulty);
  /// mining.set_extranonce when subscribed, then `job` as a clean job.
  void send_set_extranonce(protocol::Extranonce extranonce,
                           std::shared_ptr<const protocol::Job> job);
  /// A notification: {"id":null,"method":...,"params":...}.
  void send_notification(std::string_view method, const nlohmann::json& params);
  /// Bytes as they are, newline or not.
  void send_raw(std::string bytes);

 private:
  struct SentJob {
    std::shared_ptr<const protocol::Job> job;
    protocol::Extranonce extranonce;
    double difficulty = 1;
  };

  void do_read();
  void on_read(const boost::system::error_code& ec, size_t bytes);
  void handle(const protocol::Incoming& request);

  void on_subscribe(const protocol::Incoming& request);
  void on_authorize(const protocol::Incoming& request);
  void on_configure(const protocol::Incoming& request);
  void on_suggest_difficulty(const protocol::Incoming& request);
  void on_submit(const protocol::Incoming& request);
  void maybe_start_work();
  bool is_ckpool() const { return host_.options().style == PoolStyle::kCkpool; }

  /// Sends a response unless the request's method is left unanswered;
  /// returns whether it was (or will be) sent.
  bool reply(const protocol::Incoming& request, std::string line);
  bool reply_result(const protocol::Incoming& request, const nlohmann::json& result);
  bool reply_error(const protocol::Incoming& request, int code, std::string_view message);
  bool reply_reject(const protocol::Incoming& request, Reject reject);

  void do_delay();
  void on_delay(const boost::system::error_code& ec);
  void enqueue(std::string line);
  void do_write();
  void on_write(const boost::system::error_code& ec, size_t bytes);

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer delay_timer_;
  boost::asio::streambuf in_;
  SessionHost& host_;
  const uint64_t id_;

  std::deque<std::string> outbox_;
  bool writing_ = false;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::string>> delayed_;
  bool delay_armed_ = false;
  bool closed_ = false;

  protocol::Extranonce extranonce_;
  double difficulty_;
  uint32_t version_mask_ = 0;  ///< granted by mining.configure
  bool subscribed_ = false;
  bool working_ = false;
  std::set<std::string> authorized_;
  std::deque<SentJob> jobs_;    ///< newest last
  std::set<std::string> seen_;  ///< accepted shares, for duplicates
};

}  // namespace synthminer::demo_pool
