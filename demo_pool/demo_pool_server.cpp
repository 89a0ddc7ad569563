#include "demo_pool/demo_pool_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "protocol/messages.h"
#include "protocol/work.h"

namespace synthminer::demo_pool {

namespace asio = boost::asio;
using boost::system::error_code;

DemoPool::Impl::Impl(DemoPoolOptions options)
    : options_(std::move(options)),
      records_(options_.max_records),
      template_(template_options(options_), options_.seed) {}

TemplateOptions DemoPool::Impl::template_options(const DemoPoolOptions& o) {
  TemplateOptions t;
  t.version = o.version;
  t.nbits = o.nbits;
  t.merkle_branch_size = o.merkle_branch_size;
  t.extranonce_bytes =
      (o.style == PoolStyle::kP2pool ? 0 : o.extranonce1_size) + o.extranonce2_size;
  t.long_job_ids = o.style == PoolStyle::kCkpool;
  return t;
}

std::optional<std::string> DemoPool::Impl::check_options() {
  if (options_.zero_bits) {
    if (*options_.zero_bits < 0 || *options_.zero_bits > 255) return "zero_bits must be 0..255";
    options_.difficulty = difficulty_from_zero_bits(*options_.zero_bits);
  }
  if (!protocol::difficulty_to_target(options_.difficulty))
    return "difficulty must be a number > 0";
  if (options_.extranonce1_size > 8) return "extranonce1_size must be 0..8 bytes";
  if (options_.extranonce2_size < 1 || options_.extranonce2_size > 16) {
    return "extranonce2_size must be 1..16 bytes";
  }
  if (!protocol::nbits_to_target(options_.nbits)) return "nbits is not a valid compact target";
  if (options_.merkle_branch_size > 64) return "merkle_branch_size must be at most 64";
  if (options_.job_interval.count() < 0) return "job_interval must be >= 0";
  if (options_.max_line_bytes < 256) return "max_line_bytes must be at least 256";
  return std::nullopt;
}

// ---- life cycle ----

protocol::Result<uint16_t> DemoPool::Impl::start() {
  if (thread_.joinable() || stopping_) return protocol::Error{"demo pool: already started"};
  if (auto bad = check_options()) return protocol::Error{"demo pool: " + *bad};
  {
    std::lock_guard lock(mutex_);
    difficulty_ = options_.difficulty;
  }
  const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), options_.port);
  error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) {
    error_code ignored;
    acceptor_.close(ignored);
    return protocol::Error{"demo pool: cannot listen on 127.0.0.1:" +
                           std::to_string(options_.port) + ": " + ec.message()};
  }
  next_job(true);
  do_accept();
  do_rotate();
  thread_ = std::thread([this] {
    try {
      ioc_.run();
    } catch (const std::exception& e) {
      spdlog::error("demo pool: io thread stopped: {}", e.what());
    }
  });
  spdlog::debug("demo pool: listening on 127.0.0.1:{}", port_.load());
  return port_.load();
}

void DemoPool::Impl::stop() {
  if (!thread_.joinable()) return;
  asio::post(ioc_, [this] { shutdown(); });
  thread_.join();
}

void DemoPool::Impl::restart_job_clock() {
  asio::post(ioc_, [this] {
    if (stopping_ || options_.job_interval.count() == 0) return;
    rotate_timer_.cancel();  // its handler sees operation_aborted and stops
    do_rotate();
  });
}

void DemoPool::Impl::shutdown() {
  stopping_ = true;
  error_code ignored;
  acceptor_.close(ignored);
  rotate_timer_.cancel();
  for (const auto& s : snapshot()) s->close();
}

// ---- the two loops ----

void DemoPool::Impl::do_accept() {
  acceptor_.async_accept([this](const error_code& ec, asio::ip::tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void DemoPool::Impl::on_accept(const error_code& ec, asio::ip::tcp::socket socket) {
  if (ec) {
    if (ec == asio::error::operation_aborted || stopping_) return;
    spdlog::warn("demo pool: accept: {}", ec.message());
    do_accept();
    return;
  }
  if (stopping_) return;
  error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  const uint64_t id = next_session_++;
  protocol::Extranonce extranonce;
  if (options_.style != PoolStyle::kP2pool) {
    extranonce.extranonce1 = template_.next_extranonce1(options_.extranonce1_size);
  }
  extranonce.extranonce2_size = options_.extranonce2_size;
  auto session = std::make_shared<DemoSession>(std::move(socket), *this, id, std::move(extranonce),
                                               difficulty());
  sessions_.emplace(id, session);
  records_.connection_opened();
  spdlog::debug("demo pool: session {} connected", id);
  session->start();
  do_accept();
}

void DemoPool::Impl::do_rotate() {
  if (options_.job_interval.count() == 0 || stopping_) return;
  rotate_timer_.expires_after(options_.job_interval);
  rotate_timer_.async_wait([this](const error_code& ec) { on_rotate(ec); });
}

void DemoPool::Impl::on_rotate(const error_code& ec) {
  if (ec || stopping_) return;
  publish_job(true);
  do_rotate();
}

// ---- jobs and sessions (io thread) ----

void DemoPool::Impl::next_job(bool clean) {
  job_ = std::make_shared<const protocol::Job>(template_.next_job(clean, now_ntime()));
  std::lock_guard lock(mutex_);
  job_copy_ = *job_;
}

void DemoPool::Impl::publish_job(bool clean) {
  next_job(clean);
  for (const auto& s : snapshot()) s->send_job(job_, clean);
}

std::vector<std::shared_ptr<DemoSession>> DemoPool::Impl::snapshot() const {
  std::vector<std::shared_ptr<DemoSession>> out;
  for (const auto& [id, s] : sessions_) out.push_back(s);
  return out;
}

template <class F>
void DemoPool::Impl::post_each(F f) {
  asio::post(ioc_, [this, f = std::move(f)] {
    for (const auto& s : snapshot()) f(*s);
  });
}

// ---- SessionHost ----

FaultSettings DemoPool::Impl::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

Reject DemoPool::Impl::injected_reject() {
  std::lock_guard lock(mutex_);
  if (reject_ratio_ <= 0) return Reject::kNone;
  // A running credit: ratio 0.5 rejects every second share, 1 every share.
  reject_credit_ += reject_ratio_;
  if (reject_credit_ < 1 - 1e-9) return Reject::kNone;
  reject_credit_ -= 1;
  return reject_reason_;
}

void DemoPool::Impl::on_received(uint64_t session, const protocol::Incoming& message) {
  records_.add_received(session, message);
}

void DemoPool::Impl::on_share(ShareRecord record) {
  if (record.block) {
    spdlog::info("demo pool: session {} found a block (hash difficulty {:.6g})", record.session,
                 record.hash_difficulty);
  } else {
    spdlog::debug("demo pool: session {} share {}{}", record.session,
                  record.accepted ? "accepted" : "rejected: ", reject_message(record.reject));
  }
  records_.add_share(std::move(record));
}

void DemoPool::Impl::on_closed(uint64_t session) {
  sessions_.erase(session);
  records_.connection_closed();
  spdlog::debug("demo pool: session {} closed", session);
}

// ---- state read from any thread ----

std::optional<protocol::Job> DemoPool::Impl::job_copy() const {
  std::lock_guard lock(mutex_);
  return job_copy_;
}

double DemoPool::Impl::difficulty() const {
  std::lock_guard lock(mutex_);
  return difficulty_;
}

// ---- fault settings ----

void DemoPool::Impl::set_response_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  faults_.response_delay = delay;
}

void DemoPool::Impl::set_unanswered(std::vector<std::string> methods) {
  std::lock_guard lock(mutex_);
  faults_.unanswered = std::move(methods);
}

void DemoPool::Impl::set_reject_ratio(double ratio, Reject reason) {
  std::lock_guard lock(mutex_);
  reject_ratio_ = std::isfinite(ratio) ? std::clamp(ratio, 0.0, 1.0) : 0.0;
  reject_credit_ = 0;
  reject_reason_ = reason == Reject::kJobNotFound ? reason : Reject::kLowDifficulty;
}

// ---- fault actions ----

void DemoPool::Impl::drop_connections() {
  post_each([](DemoSession& s) { s.close(); });
}

void DemoPool::Impl::send_raw(std::string bytes) {
  post_each([bytes = std::move(bytes)](DemoSession& s) { s.send_raw(bytes); });
}

void DemoPool::Impl::send_notification(std::string method, nlohmann::json params) {
  post_each([method = std::move(method), params = std::move(params)](DemoSession& s) {
    s.send_notification(method, params);
  });
}

uint64_t DemoPool::Impl::send_request(std::string method, const nlohmann::json& params) {
  const uint64_t id = next_request_id_++;
  send_raw(protocol::make_request(id, method, params));
  return id;
}

void DemoPool::Impl::set_difficulty(double difficulty) {
  if (!protocol::difficulty_to_target(difficulty)) {
    spdlog::warn("demo pool: ignoring difficulty {}: not a number > 0", difficulty);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    difficulty_ = difficulty;
  }
  post_each([difficulty](DemoSession& s) { s.send_difficulty(difficulty); });
}

void DemoPool::Impl::send_set_extranonce(size_t extranonce1_size, uint32_t extranonce2_size) {
  if (extranonce1_size > 8 || extranonce2_size < 1 || extranonce2_size > 16) {
    spdlog::warn("demo pool: ignoring set_extranonce of sizes {}/{}", extranonce1_size,
                 extranonce2_size);
    return;
  }
  asio::post(ioc_, [this, extranonce1_size, extranonce2_size] {
    // One new job on the same block for all, each sent after its new extranonce.
    next_job(false);
    for (const auto& s : snapshot()) {
      s->send_set_extranonce({template_.next_extranonce1(extranonce1_size), extranonce2_size},
                             job_);
    }
  });
}

void DemoPool::Impl::send_new_job(bool clean) {
  asio::post(ioc_, [this, clean] { publish_job(clean); });
}

}  // namespace synthminer::demo_pool
