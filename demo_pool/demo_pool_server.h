// DemoPool's inside: the listener, the job clock, the sessions and the fault
// switches. Internal to DemoPool; the public API is in demo_pool.h.
#pragma once

#include <utility>  // before Asio: a Boost 1.74 bug

#include <atomic>
#include <boost/asio.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "demo_pool/demo_pool.h"
#include "demo_pool/demo_pool_records.h"
#include "demo_pool/demo_pool_session.h"
#include "demo_pool/demo_pool_template.h"

namespace synthminer::demo_pool {

// Design: the acceptor, the job timer and every DemoSession live on ioc_,
// which thread_ alone runs, so the io-thread state below needs no lock.
// Public calls from other threads either post to ioc_ (the fault actions,
// which run in call order) or take mutex_ (fault settings, the current job
// copy, the difficulty for new sessions); records_ locks itself. Sessions
// reach back through SessionHost, on the io thread. The two loops are
// do_accept / on_accept and do_rotate / on_rotate. stop() posts shutdown(),
// which closes the acceptor, the timer and every session; every handler
// then completes with an error and returns, run() runs out of work and the
// thread ends.
class DemoPool::Impl final : public SessionHost {
 public:
  explicit Impl(DemoPoolOptions options);
  ~Impl() { stop(); }

  protocol::Result<uint16_t> start();
  void stop();
  void restart_job_clock();
  uint16_t port() const { return port_.load(); }
  const PoolRecords& records() const { return records_; }
  std::optional<protocol::Job> job_copy() const;
  double difficulty() const;

  // fault settings
  void set_response_delay(std::chrono::milliseconds delay);
  void set_unanswered(std::vector<std::string> methods);
  void set_reject_ratio(double ratio, Reject reason);

  // fault actions, posted to the io thread
  void drop_connections();
  void send_raw(std::string bytes);
  void send_notification(std::string method, nlohmann::json params);
  uint64_t send_request(std::string method, const nlohmann::json& params);
  void set_difficulty(double difficulty);
  void send_set_extranonce(size_t extranonce1_size, uint32_t extranonce2_size);
  void send_new_job(bool clean);

  // SessionHost, on the io thread
  const DemoPoolOptions& options() const override { return options_; }
  FaultSettings faults() const override;
  std::shared_ptr<const protocol::Job> current_job() const override { return job_; }
  std::string random_id() override { return template_.random_id(); }
  Reject injected_reject() override;
  void on_received(uint64_t session, const protocol::Incoming& message) override;
  void on_share(ShareRecord record) override;
  void on_closed(uint64_t session) override;

 private:
  static TemplateOptions template_options(const DemoPoolOptions& o);
  std::optional<std::string> check_options();
  template <class F>
  void post_each(F f);  ///< f(DemoSession&) for every session, on the io thread
  std::vector<std::shared_ptr<DemoSession>> snapshot() const;
  void next_job(bool clean);     ///< a new current job, for sessions that start work later
  void publish_job(bool clean);  ///< next_job, then to every working session
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void do_rotate();
  void on_rotate(const boost::system::error_code& ec);
  void shutdown();

  DemoPoolOptions options_;  // final once start() has checked it
  PoolRecords records_;
  boost::asio::io_context ioc_;  // before every socket and timer: destroyed after them
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  boost::asio::steady_timer rotate_timer_{ioc_};
  std::thread thread_;
  std::atomic<uint16_t> port_{0};
  std::atomic<uint64_t> next_request_id_{1000};

  // any thread, under mutex_
  mutable std::mutex mutex_;
  FaultSettings faults_;
  double reject_ratio_ = 0;
  double reject_credit_ = 0;
  Reject reject_reason_ = Reject::kLowDifficulty;
  std::optional<protocol::Job> job_copy_;
  double difficulty_ = 1;  ///< for new sessions

  // io thread only
  BlockTemplate template_;
  std::shared_ptr<const protocol::Job> job_;
  std::map<uint64_t, std::shared_ptr<DemoSession>> sessions_;
  uint64_t next_session_ = 1;
  bool stopping_ = false;
};

}  // namespace synthminer::demo_pool
