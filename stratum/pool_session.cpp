#include "stratum/pool_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "common/printable.h"
#include "protocol/hex.h"

namespace synthminer::stratum {

using boost::system::error_code;
using common::printable;  // every pool-supplied string goes through it before a log line

namespace {

bool same_host(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

PoolSession::PoolSession(asio::io_context& io, SessionConfig config,
                         std::weak_ptr<SessionEvents> events)
    : io_(io),
      config_(std::move(config)),
      events_(std::move(events)),
      request_timer_(io),
      watchdog_(io) {}

PoolSession::~PoolSession() {
  if (conn_) conn_->close();
}

void PoolSession::start() {
  conn_ = std::make_shared<LineConnection>(io_, config_.endpoint);
  std::weak_ptr<PoolSession> weak = weak_from_this();
  LineConnection::Handlers h;
  h.on_connected = [weak] {
    if (auto self = weak.lock()) self->on_connected();
  };
  h.on_line = [weak](std::string line) {
    if (auto self = weak.lock()) self->on_line(std::move(line));
  };
  h.on_closed = [weak](const std::string& reason) {
    if (auto self = weak.lock()) self->finish(SessionEnd::failed(reason));
  };
  // The host may come from a pool's client.reconnect.
  if (auto v = config_.log_throttle->admit("connect " + config_.pool_name)) {
    spdlog::info("[{}] connecting to {}:{}{}{}", config_.pool_name,
                 printable(config_.endpoint.host, 253), config_.endpoint.port,
                 config_.endpoint.tls.enabled ? " (TLS)" : "", v.suffix());
  }
  conn_->start(std::move(h));
}

void PoolSession::close() {
  if (state_ == State::kClosed) return;
  shut();
}

void PoolSession::shut() {
  state_ = State::kClosed;
  request_timer_.cancel();
  watchdog_.cancel();
  if (conn_) conn_->close();
  requests_.close_all();
}

void PoolSession::finish(SessionEnd end) {
  if (state_ == State::kClosed) return;
  auto self = shared_from_this();  // the client drops its reference in on_session_closed
  if (auto v = config_.log_throttle->admit("disconnect " + config_.pool_name)) {
    spdlog::warn("[{}] disconnected: {}{}", config_.pool_name, printable(end.reason), v.suffix());
  }
  shut();
  if (auto events = events_.lock()) events->on_session_closed(*this, end);
}

// ---- requests ----

uint64_t PoolSession::send_request(std::string method, const protocol::json& params, bool timed,
                                   RequestTracker::Callback done) {
  const auto deadline = RequestTracker::Clock::now() + config_.request_timeout;
  const uint64_t id =
      requests_.add(method, timed ? std::optional(deadline) : std::nullopt, std::move(done));
  conn_->send(protocol::make_request(id, method, params));
  if (timed) do_request_timer();
  return id;
}

void PoolSession::do_request_timer() {
  const auto next = requests_.next_deadline();
  if (!next) return;
  request_timer_.expires_at(*next);
  request_timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
    if (auto self = weak.lock()) self->on_request_timer(ec);
  });
}

void PoolSession::on_request_timer(const error_code& ec) {
  if (ec) return;  // re-armed or closed
  if (state_ == State::kClosed) return;
  requests_.expire(RequestTracker::Clock::now());
  if (state_ != State::kClosed) do_request_timer();
}

void PoolSession::submit(const protocol::Share& share, SubmitDone done) {
  if (state_ == State::kClosed) return done(protocol::ShareFate::kRejected, "disconnected");
  const std::string worker = config_.pool_options.user;
  send_request("mining.submit", protocol::submit_params(worker, share), true,
               [weak = weak_from_this(), done = std::move(done)](const Reply& r) {
                 auto self = weak.lock();
                 if (r.status == Reply::Status::kTimedOut) {
                   done(protocol::ShareFate::kRejected, "timeout");
                   if (self) self->on_submit_timed_out();
                   return;
                 }
                 if (r.status == Reply::Status::kClosed)
                   return done(protocol::ShareFate::kRejected, "disconnected");
                 if (self) self->submit_timeouts_in_a_row_ = 0;
                 const bool ok = r.error.empty() && r.result.is_boolean() && r.result.get<bool>();
                 done(ok ? protocol::ShareFate::kAccepted : protocol::ShareFate::kRejected,
                      ok ? "" : (r.error.empty() ? "rejected (no reason given)" : r.error));
               });
}

// A pool that sends jobs but never answers submits would otherwise lose
// every share as "timeout" for ever: after a few in a row the session ends
// as a failure (reconnect, then failover).
void PoolSession::on_submit_timed_out() {
  if (state_ == State::kClosed) return;
  if (++submit_timeouts_in_a_row_ < config_.max_submit_timeouts) return;
  const std::string why = std::to_string(submit_timeouts_in_a_row_) +
                          " submits in a row unanswered (stratum.max_submit_timeouts)";
  // Not from inside the tracker's expiry loop: finish() closes every request.
  asio::post(io_, [weak = weak_from_this(), why] {
    if (auto self = weak.lock()) self->finish(SessionEnd::failed(why));
  });
}

// ---- handshake ----

void PoolSession::on_connected() {
  if (state_ == State::kClosed) return;
  const TlsTrust trust = conn_->trust();
  if (auto v = config_.log_throttle->admit("connected " + config_.pool_name)) {
    spdlog::info("[{}] connected{}{}{}", config_.pool_name,
                 trust == TlsTrust::kNone ? "" : ", TLS ",
                 trust == TlsTrust::kNone ? "" : to_string(trust), v.suffix());
  }
  state_ = State::kSubscribing;
  arm_watchdog();
  if (auto events = events_.lock()) events->on_session_connected(*this);
  if (state_ == State::kClosed) return;
  std::weak_ptr<PoolSession> weak = weak_from_this();
  if (config_.pool_options.version_rolling) {
    // Answered or not, it never holds the session up.
    send_request("mining.configure", protocol::configure_params(config_.pool_options.version_mask),
                 true, [weak](const Reply& r) {
                   if (auto self = weak.lock()) self->on_configure_reply(r);
                 });
  }
  send_request("mining.subscribe",
               protocol::subscribe_params(config_.user_agent, config_.resume_id), true,
               [weak](const Reply& r) {
                 if (auto self = weak.lock()) self->on_subscribe_reply(r);
               });
}

void PoolSession::on_configure_reply(const Reply& reply) {
  if (reply.status != Reply::Status::kAnswered) {
    if (reply.status == Reply::Status::kTimedOut) {
      spdlog::info("[{}] mining.configure unanswered: no version rolling", config_.pool_name);
    }
    return;
  }
  auto granted = protocol::parse_configure_result(reply.result);
  if (!reply.error.empty() || !granted || !granted->version_rolling) {
    spdlog::info("[{}] version rolling not granted{}", config_.pool_name,
                 reply.error.empty() ? "" : ": " + printable(reply.error));
    return;
  }
  version_mask_ = granted->mask & config_.pool_options.version_mask;
  spdlog::info("[{}] version rolling granted, mask {:08x}", config_.pool_name, version_mask_);
  if (latest_job_) {
    latest_job_->version_mask = version_mask_;
    latest_job_->job.clean_jobs = false;  // the old work stays valid, it just did not roll
    if (auto events = events_.lock()) events->on_session_job(*this, *latest_job_);
  }
}

void PoolSession::on_subscribe_reply(const Reply& reply) {
  if (state_ == State::kClosed) return;
  if (reply.status == Reply::Status::kTimedOut)
    return finish(SessionEnd::failed("subscribe timed out"));
  if (reply.status != Reply::Status::kAnswered) return;
  if (!reply.error.empty()) {
    return finish(SessionEnd::failed("subscribe refused: " + printable(reply.error)));
  }
  auto sub = protocol::parse_subscribe_result(reply.result);
  if (!sub) return finish(SessionEnd::failed("bad subscribe result: " + printable(sub.error())));
  extranonce_ = sub->extranonce;
  spdlog::info("[{}] subscribed, extranonce1 '{}', extranonce2 {} bytes", config_.pool_name,
               protocol::to_hex(extranonce_.extranonce1), extranonce_.extranonce2_size);
  state_ = State::kAuthorizing;
  if (auto events = events_.lock())
    events->on_session_subscribed(*this, extranonce_, sub->session_id);
  if (state_ == State::kClosed) return;
  if (latest_job_) {
    latest_job_->extranonce = extranonce_;
    if (auto events = events_.lock()) events->on_session_job(*this, *latest_job_);
    if (state_ == State::kClosed) return;
  }
  send_request("mining.authorize",
               protocol::authorize_params(config_.pool_options.user, config_.pool_options.password),
               true, [weak = weak_from_this()](const Reply& r) {
                 if (auto self = weak.lock()) self->on_authorize_reply(r);
               });
}

void PoolSession::on_authorize_reply(const Reply& reply) {
  if (state_ == State::kClosed) return;
  if (reply.status == Reply::Status::kTimedOut)
    return finish(SessionEnd::failed("authorize timed out"));
  if (reply.status != Reply::Status::kAnswered) return;
  const bool ok = reply.error.empty() && reply.result.is_boolean() && reply.result.get<bool>();
  if (!ok) {
    const std::string why = reply.error.empty() ? "refused" : printable(reply.error);
    return finish(
        SessionEnd::failed("authorization of '" + config_.pool_options.user + "' failed: " + why));
  }
  state_ = State::kAuthorized;
  spdlog::info("[{}] authorized as '{}'", config_.pool_name, config_.pool_options.user);
  // Optional requests: tracked (so their replies are recognised), never awaited.
  if (config_.pool_options.extranonce_subscribe) {
    send_request("mining.extranonce.subscribe", protocol::json::array(), false, nullptr);
  }
  if (config_.pool_options.suggest_difficulty) {
    const auto d = static_cast<double>(*config_.pool_options.suggest_difficulty);
    send_request("mining.suggest_difficulty", protocol::suggest_difficulty_params(d), false,
                 nullptr);
  }
  if (auto events = events_.lock()) events->on_session_authorized(*this);
}

// ---- incoming lines ----

void PoolSession::on_line(std::string line) {
  if (state_ == State::kClosed) return;
  auto msg = protocol::parse_line(line);
  if (!msg) {
    ++lines_ignored_;
    if (auto v = config_.log_throttle->admit("bad line " + config_.pool_name)) {
      spdlog::warn("[{}] ignoring a bad line ({}): {}{}", config_.pool_name, printable(msg.error()),
                   printable(line, 120), v.suffix());
    }
    return;
  }
  if (msg->kind == protocol::Incoming::Kind::kResponse) return on_response(*msg);
  on_method(*msg);
}

namespace {

// Our request ids are numbers; some pools echo them back as strings.
std::optional<uint64_t> our_request_id(const protocol::json& id) {
  if (id.is_number_unsigned()) return id.get<uint64_t>();
  if (id.is_string()) {
    const auto& s = id.get_ref<const std::string&>();
    if (!s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoull(s);
    }
  }
  return std::nullopt;
}

}  // namespace

void PoolSession::on_response(const protocol::Incoming& msg) {
  const auto id = our_request_id(msg.id);
  if (!id || !requests_.answer(*id, msg.result, msg.error)) {
    ++lines_ignored_;
    spdlog::debug("[{}] reply to an unknown or expired request id {}", config_.pool_name,
                  printable(msg.id.dump(), 64));
  }
}

void PoolSession::on_method(const protocol::Incoming& msg) {
  const std::string& m = msg.method;
  if (m == "mining.notify") return on_notify(msg.params);
  if (m == "mining.set_difficulty") return on_set_difficulty(msg.params);
  if (m == "mining.set_extranonce") return on_set_extranonce(msg.params);
  if (m == "mining.set_version_mask") return on_set_version_mask(msg.params);
  if (m == "client.reconnect") return on_reconnect(msg.params);
  if (m == "mining.ping") return answer(msg, "pong");
  if (m == "client.get_version") return answer(msg, config_.user_agent);
  if (m == "client.show_message") {
    const bool text = !msg.params.empty() && msg.params[0].is_string();
    if (auto v = config_.log_throttle->admit("pool message " + config_.pool_name)) {
      spdlog::info("[{}] message from the pool: {}{}", config_.pool_name,
                   printable(text ? msg.params[0].get<std::string>() : msg.params.dump()),
                   v.suffix());
    }
    return answer(msg, true);
  }
  ++lines_ignored_;
  spdlog::debug("[{}] ignoring unknown method {}", config_.pool_name, printable(m, 64));
  answer_error(msg, 20, "Method not found");
}

void PoolSession::answer(const protocol::Incoming& msg, const protocol::json& result) {
  if (msg.kind == protocol::Incoming::Kind::kRequest)
    conn_->send(protocol::make_response(msg.id, result));
}

void PoolSession::answer_error(const protocol::Incoming& msg, int code,
                               const std::string& message) {
  if (msg.kind != protocol::Incoming::Kind::kRequest) return;
  protocol::json j = {{"id", msg.id},
                      {"result", nullptr},
                      {"error", protocol::json::array({code, message, nullptr})}};
  conn_->send(j.dump() + "\n");
}

void PoolSession::on_notify(const protocol::json& params) {
  auto job = protocol::parse_notify(params);
  if (!job) {
    ++lines_ignored_;
    if (auto v = config_.log_throttle->admit("bad line " + config_.pool_name)) {
      spdlog::warn("[{}] ignoring a bad mining.notify: {}{}", config_.pool_name,
                   printable(job.error()), v.suffix());
    }
    return;
  }
  // cgminer's rule: a new previous block is a clean job whatever the flag says.
  const bool new_block = !prevhash_ || *prevhash_ != job->prevhash;
  job.value().clean_jobs = job->clean_jobs || new_block;
  prevhash_ = job->prevhash;
  arm_watchdog();
  latest_job_ = protocol::WorkItem{};
  latest_job_->job = std::move(job).value();
  latest_job_->extranonce = extranonce_;
  latest_job_->difficulty = difficulty_;
  latest_job_->version_mask = version_mask_;
  spdlog::debug("[{}] job {} (clean {}, difficulty {})", config_.pool_name,
                printable(latest_job_->job.job_id), latest_job_->job.clean_jobs, difficulty_);
  // Before the subscribe reply there is no extranonce to mine it with: it
  // goes out with the reply.
  if (state_ == State::kSubscribing) return;
  if (auto events = events_.lock()) events->on_session_job(*this, *latest_job_);
}

void PoolSession::on_set_difficulty(const protocol::json& params) {
  auto d = protocol::parse_set_difficulty(params);
  if (!d) {
    ++lines_ignored_;
    if (auto v = config_.log_throttle->admit("bad line " + config_.pool_name)) {
      spdlog::warn("[{}] ignoring a bad mining.set_difficulty: {}{}", config_.pool_name,
                   printable(d.error()), v.suffix());
    }
    return;
  }
  difficulty_ = *d;  // from the next job on
  if (auto v = config_.log_throttle->admit("difficulty " + config_.pool_name)) {
    spdlog::info("[{}] difficulty {} from the next job{}", config_.pool_name, *d, v.suffix());
  }
  if (auto events = events_.lock()) events->on_session_difficulty(*this, *d);
}

void PoolSession::on_set_extranonce(const protocol::json& params) {
  auto en = protocol::parse_set_extranonce(params);
  if (!en) {
    ++lines_ignored_;
    if (auto v = config_.log_throttle->admit("bad line " + config_.pool_name)) {
      spdlog::warn("[{}] ignoring a bad mining.set_extranonce: {}{}", config_.pool_name,
                   printable(en.error()), v.suffix());
    }
    return;
  }
  extranonce_ = std::move(en).value();
  spdlog::info("[{}] new extranonce1 '{}', extranonce2 {} bytes", config_.pool_name,
               protocol::to_hex(extranonce_.extranonce1), extranonce_.extranonce2_size);
  reissue_latest_job();
}

void PoolSession::on_set_version_mask(const protocol::json& params) {
  auto mask = protocol::parse_set_version_mask(params);
  if (!mask) {
    ++lines_ignored_;
    if (auto v = config_.log_throttle->admit("bad line " + config_.pool_name)) {
      spdlog::warn("[{}] ignoring a bad mining.set_version_mask: {}{}", config_.pool_name,
                   printable(mask.error()), v.suffix());
    }
    return;
  }
  if (!config_.pool_options.version_rolling) return;
  version_mask_ = *mask & config_.pool_options.version_mask;
  spdlog::info("[{}] version mask now {:08x}", config_.pool_name, version_mask_);
  reissue_latest_job();
}

// Work made with the old values would be rejected: hand the latest job out
// again, clean, with the new ones.
void PoolSession::reissue_latest_job() {
  if (!latest_job_) return;
  latest_job_->extranonce = extranonce_;
  latest_job_->version_mask = version_mask_;
  latest_job_->job.clean_jobs = true;
  if (auto events = events_.lock()) events->on_session_job(*this, *latest_job_);
}

void PoolSession::on_reconnect(const protocol::json& params) {
  auto req = protocol::parse_reconnect(params);
  if (!req) {
    if (auto v = config_.log_throttle->admit("bad line " + config_.pool_name)) {
      spdlog::warn("[{}] ignoring a bad client.reconnect: {}{}", config_.pool_name,
                   printable(req.error()), v.suffix());
    }
    return;
  }
  const std::string host = req->host.empty() ? config_.endpoint.host : req->host;
  const uint16_t port = req->port.value_or(config_.endpoint.port);
  if (!same_host(host, config_.endpoint.host) && !config_.pool_options.allow_reconnect_other_host) {
    if (auto v = config_.log_throttle->admit("reconnect request " + config_.pool_name)) {
      spdlog::warn(
          "[{}] refusing client.reconnect to another host '{}' "
          "(allow_reconnect_other_host is off){}",
          config_.pool_name, printable(host, 253), v.suffix());
    }
    return;
  }
  const Millis wait =
      std::min<Millis>(std::chrono::seconds(req->wait_seconds), config_.max_reconnect_wait);
  if (auto v = config_.log_throttle->admit("reconnect request " + config_.pool_name)) {
    spdlog::info("[{}] pool asks to reconnect to {}:{} in {} s{}", config_.pool_name,
                 printable(host, 253), port, req->wait_seconds, v.suffix());
  }
  finish(SessionEnd{"the pool asked to reconnect", false, std::pair(host, port), wait});
}

// ---- watchdog ----

void PoolSession::arm_watchdog() {
  watchdog_.expires_after(config_.job_timeout);
  watchdog_.async_wait([weak = weak_from_this()](const error_code& ec) {
    if (auto self = weak.lock()) self->on_watchdog(ec);
  });
}

void PoolSession::on_watchdog(const error_code& ec) {
  if (ec) return;  // re-armed or closed
  if (state_ == State::kClosed) return;
  // A wait that completed just before a re-arm still runs: check the deadline.
  if (watchdog_.expiry() > asio::steady_timer::clock_type::now()) return;
  finish(SessionEnd::failed("no job for " + std::to_string(config_.job_timeout.count()) + " ms"));
}

}  // namespace synthminer::stratum
