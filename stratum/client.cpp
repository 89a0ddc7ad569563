// The Client's connection life: create, start/stop, the session events, the
// retry timer and failover, failback probes. Shares: client_shares.cpp.
#include "stratum/client.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/printable.h"
#include "protocol/work.h"
#include "stratum/line_connection.h"
#include "stratum/pool_probe.h"

#ifndef SYNTHMINER_VERSION
#define SYNTHMINER_VERSION "unknown"
#endif

namespace synthminer::stratum {

using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

std::string default_user_agent() {
  return std::string("synthminer/") + SYNTHMINER_VERSION;
}

namespace {

struct CheckedPools {
  std::vector<PoolUrl> urls;
  std::vector<std::optional<protocol::Hash256>> pins;
};

// The checks create() and update_options() share; fills in the user agent.
// A node (http://) entry needs the solo module and a payout address; a
// pool's entry has no use for either of the node's keys.
Result<bool> check_kind(const PoolOptions& p, const PoolUrl& url, bool have_node) {
  if (!url.node) {
    if (!p.coinbase_address.empty() || !p.cookie_file.empty()) {
      return Error{"coinbase_address and cookie_file are for a node (an http:// or https:// URL)"};
    }
    if (p.user.empty()) return Error{"user is empty"};
    return true;
  }
  if (!have_node) return Error{"a node (http:// URL) cannot be mined by this client"};
  if (p.coinbase_address.empty()) return Error{"a node needs a coinbase_address to pay"};
  if (p.user.empty() && p.cookie_file.empty()) {
    return Error{"a node needs RPC credentials: user and password, or cookie_file"};
  }
  if (p.template_refresh < Millis(1000)) return Error{"template_refresh must be at least 1 s"};
  if (p.version_rolling || p.extranonce_subscribe || p.suggest_difficulty) {
    return Error{"version_rolling, extranonce_subscribe and suggest_difficulty are Stratum's"};
  }
  return true;
}

Result<CheckedPools> check_options(ClientOptions& options, bool have_node) {
  if (options.pools.empty()) return Error{"no pool configured"};
  if (options.connect_timeout.count() <= 0 || options.request_timeout.count() <= 0 ||
      options.job_timeout.count() <= 0) {
    return Error{"timeouts must be > 0"};
  }
  if (options.max_line_bytes < 1024) return Error{"max_line_bytes must be at least 1024"};
  if (options.max_submit_timeouts == 0) return Error{"max_submit_timeouts must be at least 1"};
  if (!(options.max_submits_per_second > 0)) return Error{"max_submits_per_second must be > 0"};
  if (options.max_write_queue_bytes < 4096) {
    return Error{"max_write_queue_bytes must be at least 4096"};
  }
  std::vector<PoolUrl> urls;
  std::vector<std::optional<protocol::Hash256>> pins;
  for (size_t i = 0; i < options.pools.size(); ++i) {
    const PoolOptions& p = options.pools[i];
    const std::string where = "pools[" + std::to_string(i) + "]: ";
    auto url = parse_pool_url(p.url);
    if (!url) return Error{where + url.error()};
    if (auto kind = check_kind(p, *url, have_node); !kind) return Error{where + kind.error()};
    const bool tls_options =
        p.tls_insecure || !p.tls_fingerprint_sha256.empty() || !p.tls_ca_file.empty();
    if (tls_options && !url->tls) {
      return Error{where + "TLS options need a stratum+ssl:// or https:// URL"};
    }
    std::optional<protocol::Hash256> pin;
    if (!p.tls_fingerprint_sha256.empty()) {
      auto parsed = parse_fingerprint(p.tls_fingerprint_sha256);
      if (!parsed) return Error{where + "tls_fingerprint_sha256: " + parsed.error()};
      pin = *parsed;
    }
    if (p.tls_insecure && !pin) {
      spdlog::warn(
          "{}tls_insecure without tls_fingerprint_sha256: the pool's identity is not "
          "checked at all",
          where);
    }
    urls.push_back(std::move(url).value());
    pins.push_back(pin);
  }
  if (options.user_agent.empty()) options.user_agent = default_user_agent();
  return CheckedPools{std::move(urls), std::move(pins)};
}

}  // namespace

Result<std::shared_ptr<Client>> Client::create(asio::io_context& io, ClientOptions options,
                                               protocol::WorkListener& listener,
                                               std::optional<NodeUpstream> node) {
  auto checked = check_options(options, node.has_value());
  if (!checked) return Error{checked.error()};
  return std::make_shared<Client>(io, std::move(options), std::move(checked->urls),
                                  std::move(checked->pins), listener, std::move(node));
}

Client::Client(asio::io_context& io, ClientOptions options, std::vector<PoolUrl> urls,
               std::vector<std::optional<protocol::Hash256>> pins, protocol::WorkListener& listener,
               std::optional<NodeUpstream> node)
    : io_(io),
      options_(std::move(options)),
      listener_(&listener),
      ledger_(options_.pools.size()),
      log_throttle_(std::make_shared<common::LogThrottle>(options_.log_throttle)),
      backoff_(options_.backoff),
      failover_(options_.pools.size(), options_.failover, SteadyClock::now()),
      retry_timer_(io),
      probe_timer_(io),
      drain_timer_(io),
      node_(std::move(node)) {
  for (size_t i = 0; i < options_.pools.size(); ++i) {
    Pool p{options_.pools[i], urls[i], options_.pools[i].name, pins[i], {}, {}, {}};
    if (p.name.empty()) p.name = p.url.host_port();
    ledger_.name_pool(i, p.name);
    pools_.push_back(std::move(p));
    order_.push_back(i);
  }
}

Client::~Client() {
  if (session_) session_->close();
  for (auto& [i, probe] : probes_) probe->cancel();
}

void Client::start() {
  asio::post(io_, [self = shared_from_this()] {
    if (self->started_ || self->stopped_) return;
    self->started_ = true;
    self->do_connect();
  });
}

void Client::stop() {
  if (io_.get_executor().running_in_this_thread()) return do_shutdown();
  asio::post(io_, [self = shared_from_this()] { self->do_shutdown(); });
}

void Client::do_shutdown() {
  if (stopped_) return;
  stopped_ = true;
  listener_ = nullptr;  // nothing more is said to anyone
  retry_timer_.cancel();
  probe_timer_.cancel();
  for (auto& [i, probe] : probes_) probe->cancel();
  probes_.clear();
  if (auto s = std::move(session_)) s->close();  // in-flight submits end "disconnected"
  for (const Queued& q : std::exchange(queue_, {})) {
    resolve(q, q.pool, protocol::ShareFate::kStale, 0, "client stopped");
  }
  spdlog::info("stratum client stopped");
  drain_timer_.cancel();
  draining_ = false;
  for (auto& done : std::exchange(drained_, {})) asio::post(io_, std::move(done));
}

void Client::drain_and_stop(std::chrono::milliseconds drain, std::function<void()> done) {
  asio::post(io_, [self = shared_from_this(), drain, done = std::move(done)]() mutable {
    if (self->stopped_) return asio::post(self->io_, std::move(done));
    self->drained_.push_back(std::move(done));
    if (self->draining_) return;
    self->draining_ = true;
    if (self->ledger_.pending() == 0) return self->do_shutdown();
    self->drain_timer_.expires_after(drain);
    self->drain_timer_.async_wait(
        [self](const boost::system::error_code&) { self->do_shutdown(); });
  });
}

// ---- connecting ----

LineEndpoint Client::endpoint_for(size_t pool) const {
  const Pool& p = pools_[pool];
  LineEndpoint e;
  e.host = p.redirect ? p.redirect->first : p.url.host;
  e.port = p.redirect ? p.redirect->second : p.url.port;
  e.tls.enabled = p.url.tls;
  e.tls.insecure = p.options.tls_insecure;
  e.tls.pin = p.pin;
  e.tls.ca_file = p.options.tls_ca_file;
  e.connect_timeout = options_.connect_timeout;
  e.max_line_bytes = options_.max_line_bytes;
  e.max_write_queue_bytes = options_.max_write_queue_bytes;
  return e;
}

SessionConfig Client::session_config_for(size_t p) const {
  SessionConfig config;
  config.pool = p;
  config.pool_name = pools_[p].name;
  config.endpoint = endpoint_for(p);
  config.pool_options = pools_[p].options;
  config.user_agent = options_.user_agent;
  config.resume_id = pools_[p].resume_id;
  config.request_timeout = options_.request_timeout;
  config.job_timeout = options_.job_timeout;
  config.max_reconnect_wait = options_.max_reconnect_wait;
  config.max_submit_timeouts = options_.max_submit_timeouts;
  config.log_throttle = log_throttle_;
  return config;
}

void Client::do_connect() {
  const size_t p = current_pool();
  session_pool_ = p;
  book_session_ = 0;
  authorized_ = have_job_ = ready_ = false;
  auto config = session_config_for(p);
  if (pools_[p].url.node) {
    session_ = node_->make_session(io_, std::move(config), weak_from_this());
  } else {
    session_ = std::make_shared<PoolSession>(io_, std::move(config), weak_from_this());
  }
  emit_state(protocol::ConnectionState::kConnecting);
  session_->start();
}

void Client::do_retry(Millis delay) {
  const std::string& name = pools_[current_pool()].name;
  if (auto v = log_throttle_->admit("reconnect " + name)) {
    spdlog::info("[{}] reconnecting in {} ms{}", name, delay.count(), v.suffix());
  }
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
    if (auto self = weak.lock()) self->on_retry(ec);
  });
}

void Client::on_retry(const error_code& ec) {
  if (ec) return;  // cancelled by stop()
  if (stopped_ || session_) return;
  do_connect();
}

void Client::emit_state(protocol::ConnectionState state, const std::string& reason) {
  if (listener_ == nullptr) return;
  listener_->on_connection_state(
      protocol::ConnectionEvent{session_pool_, pools_[session_pool_].name, state, reason});
}

void Client::end_session(const std::string& reason) {
  book_.close_current();
  book_session_ = 0;
  authorized_ = have_job_ = ready_ = false;
  probe_timer_.cancel();
  for (auto& [i, probe] : probes_) probe->cancel();
  probes_.clear();
  emit_state(protocol::ConnectionState::kDisconnected, reason);
}

// ---- session events ----

void Client::on_session_connected(UpstreamSession& session) {
  if (&session != session_.get()) return;
  emit_state(protocol::ConnectionState::kConnected);
}

void Client::on_session_subscribed(UpstreamSession& session, const protocol::Extranonce& extranonce,
                                   const std::optional<std::string>& resume_id) {
  if (&session != session_.get()) return;
  pools_[session_pool_].resume_id = resume_id;
  book_session_ = book_.open(session_pool_, extranonce);
}

void Client::on_session_authorized(UpstreamSession& session) {
  if (&session != session_.get()) return;
  authorized_ = true;
  emit_state(protocol::ConnectionState::kAuthorized);
  if (have_job_ && !ready_) become_ready();
}

void Client::on_session_job(UpstreamSession& session, const protocol::WorkItem& job) {
  if (&session != session_.get() || book_session_ == 0) return;
  book_.add_job(job.job, job.extranonce, job.difficulty, job.version_mask);
  have_job_ = true;
  if (listener_ != nullptr && !draining_) {
    protocol::WorkItem work = job;
    work.pool = session_pool_;
    work.pool_name = pools_[session_pool_].name;
    work.session = book_session_;
    // A node's job carries its exact target; a pool's comes from the difficulty.
    if (job.share_target == hashcore::Target{}) {
      work.share_target =
          protocol::difficulty_to_target(job.difficulty).value_or(hashcore::Target::max());
    }
    listener_->on_job(work);
  }
  if (authorized_ && !ready_ && session_) become_ready();
}

void Client::on_session_difficulty(UpstreamSession& session, double difficulty) {
  if (&session != session_.get()) return;
  if (listener_ != nullptr) listener_->on_difficulty(session_pool_, difficulty);
}

void Client::on_session_closed(UpstreamSession& session, const SessionEnd& end) {
  if (&session != session_.get()) return;
  auto keep = std::move(session_);
  const size_t pool = session_pool_;
  const bool served_work = ready_;
  end_session(end.reason);
  if (stopped_) return;
  // A client.reconnect from a pool that served work is maintenance, not a
  // failure. One before any work is: a pool answering every subscribe with
  // a reconnect would otherwise hold the miner in a loop without failover.
  if (end.redirect && served_work) {
    pools_[pool].redirect = end.redirect;
    return do_retry(std::max(backoff_.next(), end.wait));
  }
  if (end.redirect) {
    pools_[pool].redirect = end.redirect;
    spdlog::warn("[{}] asked to reconnect before serving any work: counted as a failure",
                 pools_[pool].name);
  } else {
    pools_[pool].redirect.reset();  // a followed redirect that failed is forgotten
  }
  if (pool == current_pool() && failover_.on_failure(SteadyClock::now())) {
    pools_[pool].redirect.reset();
    spdlog::warn("[{}] {} failures in a row: failing over to [{}]", pools_[pool].name,
                 options_.failover.failures_before_failover, pools_[current_pool()].name);
  }
  // Never sooner than the back-off, whatever wait the pool asked for.
  do_retry(std::max(backoff_.next(), end.wait));
}

void Client::become_ready() {
  ready_ = true;
  failover_.on_healthy();
  backoff_.reset();
  drain_queue();
  if (failover_.current() > 0) do_probe_timer();
}

// ---- operator's switch ----

bool Client::switch_pool(size_t index) {
  if (index >= pools_.size()) return false;
  // order_ changes only on the io thread; a retired pool is refused there.
  asio::post(io_, [self = shared_from_this(), index] { self->do_switch(index); });
  return true;
}

void Client::do_switch(size_t pool) {
  if (stopped_ || !started_) return;
  const auto position = position_of(pool);
  if (!position) {
    spdlog::warn("[{}] not switching: the pool is no longer configured", pools_[pool].name);
    return;
  }
  if (pool == current_pool() && session_) return;  // already there
  spdlog::info("[{}] switching pools by request (from [{}])", pools_[pool].name,
               pools_[session_pool_].name);
  failover_.switch_to(*position, SteadyClock::now());
  retry_timer_.cancel();
  if (auto s = std::move(session_)) {
    s->close();
    end_session("switching to " + pools_[pool].name + " by request");
  }
  backoff_.reset();
  do_connect();
}

// ---- reload ----

std::optional<size_t> Client::position_of(size_t index) const {
  for (size_t position = 0; position < order_.size(); ++position)
    if (order_[position] == index) return position;
  return std::nullopt;
}

Result<bool> Client::update_options(ClientOptions options) {
  auto checked = check_options(options, node_.has_value());
  if (!checked) return Error{checked.error()};
  const bool connected = static_cast<bool>(session_);
  const size_t in_use = session_pool_;
  std::vector<size_t> order;
  for (size_t i = 0; i < options.pools.size(); ++i) {
    std::optional<size_t> found;
    for (size_t k = 0; k < pools_.size() && !found; ++k) {
      const bool taken = std::find(order.begin(), order.end(), k) != order.end();
      if (!taken && pools_[k].options == options.pools[i]) found = k;
    }
    if (!found) {
      Pool p{
          options.pools[i], checked->urls[i], options.pools[i].name, checked->pins[i], {}, {}, {}};
      if (p.name.empty()) p.name = p.url.host_port();
      pools_.push_back(std::move(p));
      found = ledger_.add_pool();
      ledger_.name_pool(*found, pools_.back().name);
    }
    order.push_back(*found);
  }
  order_ = std::move(order);
  options_ = std::move(options);
  backoff_ = Backoff(options_.backoff);
  for (Pool& p : pools_) p.budget.reset();  // the next submit takes the new rate
  // Probes of the old order are moot; the failover state starts afresh.
  probe_timer_.cancel();
  for (auto& [i, probe] : probes_) probe->cancel();
  probes_.clear();
  failover_ = FailoverPolicy(order_.size(), options_.failover, SteadyClock::now());
  const auto kept = position_of(in_use);
  if (kept) {
    failover_.switch_to(*kept, SteadyClock::now());
    spdlog::info("[{}] pools reloaded: {} in rotation; this connection is kept",
                 pools_[in_use].name, order_.size());
    if (ready_ && *kept > 0) do_probe_timer();
    return true;
  }
  spdlog::info("pools reloaded: [{}] is no longer configured; connecting to [{}]",
               pools_[in_use].name, pools_[current_pool()].name);
  if (!started_ || stopped_) return true;
  retry_timer_.cancel();
  if (connected) {
    if (auto s = std::move(session_)) s->close();
    end_session("pool removed or edited by a config reload");
  }
  do_connect();
  return true;
}

// ---- failback ----

void Client::do_probe_timer() {
  probe_timer_.expires_after(options_.failover.probe_interval);
  probe_timer_.async_wait([weak = weak_from_this()](const error_code& ec) {
    if (auto self = weak.lock()) self->on_probe_timer(ec);
  });
}

void Client::on_probe_timer(const error_code& ec) {
  if (ec) return;  // cancelled: the session ended
  if (stopped_ || !ready_) return;
  for (const size_t position : failover_.probe_candidates()) {
    const size_t i = order_[position];
    if (probes_.count(i) != 0) continue;
    const Millis timeout = options_.connect_timeout + options_.request_timeout;
    std::shared_ptr<UpstreamProbe> probe;
    if (pools_[i].url.node) {
      probe = node_->make_probe(io_, session_config_for(i), timeout);
    } else {
      probe = std::make_shared<PoolProbe>(io_, endpoint_for(i), options_.user_agent, timeout);
    }
    probes_[i] = probe;
    probe->start([weak = weak_from_this(), i](bool healthy, const std::string& reason) {
      if (auto self = weak.lock()) self->on_probe_done(i, healthy, reason);
    });
  }
  do_probe_timer();
}

void Client::on_probe_done(size_t pool, bool healthy, const std::string& reason) {
  probes_.erase(pool);
  if (stopped_ || !ready_) return;
  const auto now = SteadyClock::now();
  const auto position = position_of(pool);
  if (!position) return;  // retired by a reload meanwhile
  failover_.on_probe(*position, healthy, now);
  spdlog::debug("[{}] probe: {}", pools_[pool].name,
                healthy ? "healthy" : common::printable(reason));
  const auto target_position = failover_.failback_target(now);
  if (!target_position) return;
  const size_t target = order_[*target_position];
  spdlog::info("[{}] healthy again: failing back from [{}]", pools_[target].name,
               pools_[session_pool_].name);
  failover_.switch_to(*target_position, now);
  if (auto s = std::move(session_)) s->close();
  end_session("failing back to " + pools_[target].name);
  backoff_.reset();
  do_connect();
}

}  // namespace synthminer::stratum
