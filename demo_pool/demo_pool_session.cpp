#include "demo_pool/demo_pool_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "demo_pool/demo_pool_template.h"
#include "protocol/hex.h"

namespace synthminer::demo_pool {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr size_t kMaxJobsKept = 32;

std::string dump_line(const nlohmann::json& j) {
  return j.dump() + "\n";
}

}  // namespace

bool FaultSettings::answers(std::string_view method) const {
  return std::none_of(unanswered.begin(), unanswered.end(),
                      [&](const std::string& m) { return m == "*" || m == method; });
}

DemoSession::DemoSession(asio::ip::tcp::socket socket, SessionHost& host, uint64_t id,
                         protocol::Extranonce extranonce, double difficulty)
    : socket_(std::move(socket)),
      delay_timer_(socket_.get_executor()),
      in_(host.options().max_line_bytes + 1),
      host_(host),
      id_(id),
      extranonce_(std::move(extranonce)),
      difficulty_(difficulty) {}

void DemoSession::start() {
  do_read();
}

void DemoSession::close() {
  if (closed_) return;
  closed_ = true;
  auto self = shared_from_this();  // the host drops its reference in on_closed
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  delay_timer_.cancel();
  host_.on_closed(id_);
}

// ---- reading ----

void DemoSession::do_read() {
  asio::async_read_until(
      socket_, in_, '\n',
      [self = shared_from_this()](const error_code& ec, size_t n) { self->on_read(ec, n); });
}

void DemoSession::on_read(const error_code& ec, size_t bytes) {
  if (ec) {
    if (ec != asio::error::operation_aborted && ec != asio::error::eof) {
      spdlog::debug("demo pool: session {} read: {}", id_, ec.message());
    }
    close();
    return;
  }
  if (closed_) return;
  std::string line(asio::buffers_begin(in_.data()), asio::buffers_begin(in_.data()) + bytes);
  in_.consume(bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) {
    auto message = protocol::parse_line(line);
    if (!message) {
      spdlog::debug("demo pool: session {} sent a bad line: {}", id_, message.error());
    } else {
      host_.on_received(id_, *message);
      try {
        if (message->kind == protocol::Incoming::Kind::kRequest) handle(*message);
      } catch (const std::exception& e) {
        // A shape the handlers did not foresee: drop this miner, keep the pool.
        spdlog::warn("demo pool: session {}: {} failed: {}", id_, message->method, e.what());
        close();
        return;
      }
    }
  }
  if (!closed_) do_read();
}

void DemoSession::handle(const protocol::Incoming& request) {
  const std::string& m = request.method;
  if (m == "mining.subscribe") {
    on_subscribe(request);
  } else if (m == "mining.authorize") {
    on_authorize(request);
  } else if (m == "mining.configure") {
    on_configure(request);
  } else if (m == "mining.suggest_difficulty") {
    on_suggest_difficulty(request);
  } else if (m == "mining.submit") {
    on_submit(request);
  } else if (m == "mining.extranonce.subscribe" && !is_ckpool()) {
    reply_result(request, true);
  } else if (!is_ckpool()) {
    reply_error(request, 20, "Not supported.");
  }
  // ckpool answers nothing it does not know.
}

// ---- requests ----

void DemoSession::on_subscribe(const protocol::Incoming& request) {
  const std::string sid = host_.random_id();
  const auto style = host_.options().style;
  nlohmann::json subs;
  if (style == PoolStyle::kStandard) {
    subs = nlohmann::json::array({nlohmann::json::array({"mining.set_difficulty", sid}),
                                  nlohmann::json::array({"mining.notify", sid})});
  } else if (style == PoolStyle::kCkpool) {
    subs = nlohmann::json::array({nlohmann::json::array({"mining.notify", sid})});
  } else {
    subs = nlohmann::json::array({"mining.notify", sid});  // p2pool: flat
  }
  subscribed_ = true;
  reply_result(request, nlohmann::json::array({subs, protocol::to_hex(extranonce_.extranonce1),
                                               extranonce_.extranonce2_size}));
  maybe_start_work();
}

void DemoSession::on_authorize(const protocol::Incoming& request) {
  const auto& p = request.params;
  const bool shaped = p.size() >= 1 && p[0].is_string() && (p.size() < 2 || p[1].is_string());
  bool ok = shaped;
  if (shaped && !host_.options().users.empty()) {
    const std::string worker = p[0].get<std::string>();
    const std::string password = p.size() >= 2 ? p[1].get<std::string>() : "";
    const std::string user = worker.substr(0, worker.find('.'));
    const auto& users = host_.options().users;
    ok = std::any_of(users.begin(), users.end(), [&](const auto& u) {
      return (u.first == worker || u.first == user) && u.second == password;
    });
  }
  if (ok) authorized_.insert(p[0].get<std::string>());
  reply_result(request, ok);
  if (ok) maybe_start_work();
}

void DemoSession::on_configure(const protocol::Incoming& request) {
  const auto& p = request.params;
  if (p.empty() || !p[0].is_array()) {
    reply_reject(request, Reject::kMalformed);
    return;
  }
  const nlohmann::json args = p.size() >= 2 && p[1].is_object() ? p[1] : nlohmann::json::object();
  nlohmann::json result = nlohmann::json::object();
  const uint32_t pool_mask = host_.options().version_mask;
  for (const auto& ext : p[0]) {
    if (!ext.is_string()) continue;
    const std::string name = ext.get<std::string>();
    if (name != "version-rolling") {
      result[name] = false;
      continue;
    }
    uint32_t requested = 0xffffffff;
    if (const auto it = args.find("version-rolling.mask"); it != args.end() && it->is_string()) {
      requested = protocol::parse_hex_u32(it->get<std::string>()).value_or(0xffffffff);
    }
    version_mask_ = is_ckpool() ? pool_mask : requested & pool_mask;
    result["version-rolling"] = true;
    result["version-rolling.mask"] = protocol::hex_u32(version_mask_);
  }
  reply_result(request, result);
}

void DemoSession::on_suggest_difficulty(const protocol::Incoming& request) {
  const auto& p = request.params;
  const bool number =
      !p.empty() && p[0].is_number() && std::isfinite(p[0].get<double>()) && p[0].get<double>() > 0;
  if (is_ckpool()) {
    // ckpool: integers only, only once authorized, and never an answer.
    if (number && p[0].is_number_integer() && !authorized_.empty() &&
        host_.options().honour_suggested_difficulty) {
      send_difficulty(p[0].get<double>());
    }
    return;
  }
  if (!number) {
    reply_reject(request, Reject::kMalformed);
    return;
  }
  if (host_.options().honour_suggested_difficulty) send_difficulty(p[0].get<double>());
  reply_result(request, true);
}

void DemoSession::on_submit(const protocol::Incoming& request) {
  ShareRecord record;
  record.session = id_;
  record.extranonce1 = extranonce_.extranonce1;
  auto parsed = parse_submit(request.params);
  const SentJob* sent = nullptr;
  std::string key;
  if (!parsed) {
    record.reject = Reject::kMalformed;
    const auto& p = request.params;
    if (!p.empty() && p[0].is_string()) record.worker = p[0].get<std::string>();
  } else {
    record.worker = parsed->worker;
    record.share = parsed->share;
    const protocol::Share& s = record.share;
    const auto it = std::find_if(jobs_.begin(), jobs_.end(),
                                 [&](const SentJob& j) { return j.job->job_id == s.job_id; });
    sent = it == jobs_.end() ? nullptr : &*it;
    if (sent) {
      record.extranonce1 = sent->extranonce.extranonce1;
      key = s.job_id + ":" + protocol::to_hex(sent->extranonce.extranonce1) + ":" +
            protocol::to_hex(s.extranonce2) + ":" + protocol::hex_u32(s.ntime) + ":" +
            protocol::hex_u32(s.nonce) + ":" +
            (s.version_bits ? protocol::hex_u32(*s.version_bits) : "-");
    }
    if (!subscribed_) {
      record.reject = Reject::kNotSubscribed;
    } else if (!authorized_.contains(record.worker)) {
      record.reject = Reject::kUnauthorized;
    } else if (!sent) {
      record.reject = Reject::kJobNotFound;
    } else if (s.extranonce2.size() != sent->extranonce.extranonce2_size) {
      record.reject = Reject::kExtranonce2Size;
    } else if (seen_.contains(key)) {
      record.reject = Reject::kDuplicate;
    }
  }
  if (record.reject == Reject::kNone) {
    const ShareCheck check =
        validate_share(*sent->job, sent->extranonce, record.share, sent->difficulty, version_mask_);
    record.difficulty = sent->difficulty;
    record.hash_difficulty = check.hash_difficulty;
    record.reject = check.reject;
    if (check.reject == Reject::kNone) {
      const Reject injected = host_.injected_reject();
      if (injected != Reject::kNone) {
        record.reject = injected;
        record.injected = true;
      } else {
        record.accepted = true;
        record.block = check.block;
        seen_.insert(key);
      }
    }
  }
  record.answered =
      record.accepted ? reply_result(request, true) : reply_reject(request, record.reject);
  host_.on_share(std::move(record));
}

void DemoSession::maybe_start_work() {
  if (working_ || !subscribed_ || (authorized_.empty() && !is_ckpool())) return;
  working_ = true;
  send_notification("mining.set_difficulty", nlohmann::json::array({difficulty_}));
  send_job(host_.current_job(), true);
}

// ---- from the pool ----

void DemoSession::send_job(std::shared_ptr<const protocol::Job> job, bool clean) {
  if (!working_ || closed_ || !job) return;
  if (clean) {
    jobs_.clear();
    seen_.clear();
  }
  jobs_.push_back(SentJob{job, extranonce_, difficulty_});
  if (jobs_.size() > kMaxJobsKept) jobs_.pop_front();
  send_notification("mining.notify", notify_params(*job, clean));
}

void DemoSession::send_difficulty(double difficulty) {
  difficulty_ = difficulty;
  if (working_) send_notification("mining.set_difficulty", nlohmann::json::array({difficulty}));
}

void DemoSession::send_set_extranonce(protocol::Extranonce extranonce,
                                      std::shared_ptr<const protocol::Job> job) {
  if (!subscribed_) return;
  extranonce_ = std::move(extranonce);
  send_notification("mining.set_extranonce",
                    nlohmann::json::array(
                        {protocol::to_hex(extranonce_.extranonce1), extranonce_.extranonce2_size}));
  send_job(std::move(job), true);
}

void DemoSession::send_notification(std::string_view method, const nlohmann::json& params) {
  enqueue(dump_line({{"id", nullptr}, {"method", method}, {"params", params}}));
}

void DemoSession::send_raw(std::string bytes) {
  enqueue(std::move(bytes));
}

// ---- responses ----

bool DemoSession::reply(const protocol::Incoming& request, std::string line) {
  const FaultSettings faults = host_.faults();
  if (!faults.answers(request.method)) return false;
  if (faults.response_delay.count() <= 0 && delayed_.empty()) {
    enqueue(std::move(line));
    return true;
  }
  // Keep responses in order even when the delay shrinks meanwhile.
  auto due = std::chrono::steady_clock::now() + faults.response_delay;
  if (!delayed_.empty()) due = std::max(due, delayed_.back().first);
  delayed_.emplace_back(due, std::move(line));
  do_delay();
  return true;
}

bool DemoSession::reply_result(const protocol::Incoming& request, const nlohmann::json& result) {
  return reply(request, protocol::make_response(request.id, result));
}

bool DemoSession::reply_error(const protocol::Incoming& request, int code,
                              std::string_view message) {
  return reply(request, dump_line({{"id", request.id},
                                   {"result", nullptr},
                                   {"error", nlohmann::json::array({code, message, nullptr})}}));
}

bool DemoSession::reply_reject(const protocol::Incoming& request, Reject reject) {
  if (is_ckpool()) {
    return reply(request, dump_line({{"id", request.id},
                                     {"result", false},
                                     {"error", nullptr},
                                     {"reject-reason", ckpool_reason(reject)}}));
  }
  return reply_error(request, reject_code(reject), reject_message(reject));
}

void DemoSession::do_delay() {
  if (delay_armed_ || delayed_.empty() || closed_) return;
  delay_armed_ = true;
  delay_timer_.expires_at(delayed_.front().first);
  delay_timer_.async_wait(
      [self = shared_from_this()](const error_code& ec) { self->on_delay(ec); });
}

void DemoSession::on_delay(const error_code& ec) {
  delay_armed_ = false;
  if (ec || closed_) return;
  const auto now = std::chrono::steady_clock::now();
  while (!delayed_.empty() && delayed_.front().first <= now) {
    enqueue(std::move(delayed_.front().second));
    delayed_.pop_front();
  }
  do_delay();
}

// ---- writing ----

void DemoSession::enqueue(std::string line) {
  if (closed_) return;
  outbox_.push_back(std::move(line));
  if (!writing_) do_write();
}

void DemoSession::do_write() {
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(outbox_.front()),
      [self = shared_from_this()](const error_code& ec, size_t n) { self->on_write(ec, n); });
}

void DemoSession::on_write(const error_code& ec, size_t /*bytes*/) {
  writing_ = false;
  if (ec) {
    if (ec != asio::error::operation_aborted) {
      spdlog::debug("demo pool: session {} write: {}", id_, ec.message());
    }
    close();
    return;
  }
  outbox_.pop_front();
  if (!outbox_.empty() && !closed_) do_write();
}

}  // namespace synthminer::demo_pool
