#include "solo/node_session.h"

#include <cstdio>

#include <spdlog/spdlog.h>

#include "common/printable.h"
#include "hashcore/sha256.h"
#include "node/block.h"
#include "protocol/work.h"
#include "solo/node_probe.h"

namespace synthminer::solo {

using common::printable;
using stratum::SessionEnd;

namespace {

// Bytes of extranonce2 in the coinbase: 2^64 coinbases per template.
constexpr uint32_t kExtranonce2Size = 8;

// BIP 320's general-purpose version bits (13..28).
constexpr uint32_t kBip320Mask = 0x1fffe000;

// The bits the devices may roll: BIP 320's, less any bit the template sets
// (a required deployment) or names as a deployment it could signal.
uint32_t version_mask_for(const node::BlockTemplate& tmpl) {
  uint32_t mask = kBip320Mask & ~tmpl.version;
  for (const auto& [name, bit] : tmpl.vbavailable) {
    if (bit < 32) mask &= ~(uint32_t{1} << bit);
  }
  return mask;
}

const nlohmann::json kTemplateRequest = {{"rules", nlohmann::json::array({"segwit"})}};

RpcEndpoint endpoint_of(const stratum::SessionConfig& config) {
  RpcEndpoint e;
  e.host = config.endpoint.host;
  e.port = config.endpoint.port;
  e.tls = config.endpoint.tls;
  return e;
}

RpcCredentials credentials_of(const stratum::PoolOptions& pool) {
  return RpcCredentials{pool.user, pool.password, pool.cookie_file};
}

// The difficulty of the template's target: read as a hash, it is the
// network's (for logs and the difficulty gauge; the job carries the target).
double network_difficulty(const hashcore::Target& target) {
  hashcore::Digest as_hash{};
  for (size_t limb = 0; limb < target.limbs.size(); ++limb) {
    for (size_t byte = 0; byte < 4; ++byte) {
      as_hash[limb * 4 + byte] = static_cast<uint8_t>(target.limbs[limb] >> (8 * byte));
    }
  }
  return protocol::hash_difficulty(as_hash);
}

std::string describe(const RpcError& e) {
  if (e.kind == RpcErrorKind::kRpc) {
    return "RPC error " + std::to_string(e.code) + ": " + printable(e.message);
  }
  return printable(e.message);
}

// The node's verdict on a block: "" accepted (null), else the reason.
std::string submit_verdict(const RpcResult& result) {
  if (!result) return "submitblock failed: " + describe(result.error());
  if (result->is_null()) return "";
  if (result->is_string()) return printable(result->get<std::string>(), 64);
  return "submitblock answered neither null nor a reason";
}

}  // namespace

NodeSession::NodeSession(asio::io_context& io, stratum::SessionConfig config,
                         std::weak_ptr<stratum::SessionEvents> events,
                         std::shared_ptr<NodeStatus> status, NodeSessionOptions options)
    : io_(io),
      config_(std::move(config)),
      events_(std::move(events)),
      status_(std::move(status)),
      options_(options),
      rpc_(std::make_shared<RpcClient>(io, endpoint_of(config_),
                                       credentials_of(config_.pool_options), options.limits)),
      long_poll_(std::make_shared<RpcClient>(io, endpoint_of(config_),
                                             credentials_of(config_.pool_options), options.limits)),
      submit_rpc_(std::make_shared<RpcClient>(
          io, endpoint_of(config_), credentials_of(config_.pool_options), options.limits)),
      refresh_timer_(io) {
  coinbase_.extranonce_size = kExtranonce2Size;
}

NodeSession::~NodeSession() {
  shut();
}

void NodeSession::start() {
  if (auto v = config_.log_throttle->admit("connect " + config_.pool_name)) {
    spdlog::info("[{}] asking the node at {}:{}{} for its chain{}", config_.pool_name,
                 printable(config_.endpoint.host, 253), config_.endpoint.port,
                 config_.endpoint.tls.enabled ? " (HTTPS)" : "", v.suffix());
  }
  rpc_->call("getblockchaininfo", nlohmann::json::array(), config_.request_timeout,
             [weak = weak_from_this()](RpcResult r) {
               if (auto self = weak.lock()) self->on_chain_info(std::move(r));
             });
}

void NodeSession::on_chain_info(RpcResult result) {
  if (closed_) return;
  if (!result) return on_rpc_failure("getblockchaininfo", result.error());
  const nlohmann::json& info = *result;
  const auto* chain = info.is_object() && info.contains("chain") ? &info["chain"] : nullptr;
  if (chain == nullptr || !chain->is_string()) {
    return finish(SessionEnd::failed("getblockchaininfo: /chain: missing or not a string"));
  }
  const std::string name = chain->get<std::string>();
  if (name == "signet") {
    return finish(SessionEnd::failed(
        "the node is on signet, whose blocks need the signet challenge's signature: not mined"));
  }
  const auto known = node::chain_from_name(name);
  if (!known)
    return finish(SessionEnd::failed("the node's chain is unknown: " + printable(name, 32)));
  chain_ = *known;
  auto script = node::output_script(config_.pool_options.coinbase_address, chain_);
  if (!script) return finish(SessionEnd::failed("coinbase_address: " + script.error()));
  coinbase_.payout_script = std::move(script).value();
  const uint64_t blocks = info.value("blocks", nlohmann::json(0)).is_number_unsigned()
                              ? info["blocks"].get<uint64_t>()
                              : 0;
  if (status_) status_->set_chain(name, blocks);
  // A syncing node refuses templates itself (RPC error -10) on the chains
  // where it matters; a fresh regtest node counts as syncing and serves.
  spdlog::info("[{}] node on {} at height {}; mining to {}", config_.pool_name, printable(name, 32),
               blocks, printable(config_.pool_options.coinbase_address, 100));
  auto events = events_.lock();
  if (!events) return;
  events->on_session_connected(*this);
  if (closed_) return;
  events->on_session_subscribed(*this, protocol::Extranonce{{}, kExtranonce2Size}, std::nullopt);
  request_template(false);
}

void NodeSession::request_template(bool long_poll) {
  nlohmann::json request = kTemplateRequest;
  RpcClient& client = long_poll ? *long_poll_ : *rpc_;
  auto timeout = config_.request_timeout;
  if (long_poll) {
    const auto it = jobs_.find(job_order_.empty() ? "" : job_order_.back());
    if (it == jobs_.end() || !it->second.tmpl->longpollid) return;  // the node offers none
    request["longpollid"] = *it->second.tmpl->longpollid;
    timeout = options_.long_poll_timeout;
    long_poll_pending_ = true;
  }
  client.call("getblocktemplate", nlohmann::json::array({request}), timeout,
              [weak = weak_from_this(), long_poll](RpcResult r) {
                if (auto self = weak.lock()) self->on_template(std::move(r), long_poll);
              });
}

void NodeSession::on_template(RpcResult result, bool long_poll) {
  if (closed_) return;
  if (long_poll) long_poll_pending_ = false;
  if (!result) {
    // A long poll the node held past our patience is not a failure: ask again.
    if (long_poll && result.error().kind == RpcErrorKind::kTimeout) return request_template(true);
    return on_rpc_failure("getblocktemplate", result.error());
  }
  auto tmpl = node::parse_block_template(*result);
  if (!tmpl) return finish(SessionEnd::failed(tmpl.error()));
  issue_job(std::move(tmpl).value());
  if (closed_) return;
  if (!long_poll_pending_) request_template(true);
  if (!long_poll) arm_refresh();
}

void NodeSession::issue_job(node::BlockTemplate tmpl) {
  char id[24];
  std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(next_job_++));
  auto built = node::build_template_job(tmpl, coinbase_, id);
  if (!built) return finish(SessionEnd::failed("template: " + built.error()));
  const bool new_tip = !tip_ || *tip_ != tmpl.previous_block_hash;
  if (new_tip) {
    jobs_.clear();
    job_order_.clear();
    tip_ = tmpl.previous_block_hash;
  }
  protocol::WorkItem work;
  work.job = built->job;
  work.job.clean_jobs = new_tip;
  work.extranonce = built->extranonce;
  work.share_target = tmpl.target;
  work.version_mask = version_mask_for(tmpl);
  work.difficulty = network_difficulty(tmpl.target);
  if (new_tip && handshake_done_) {
    spdlog::info("[{}] new block template: height {} on {}, {} transactions", config_.pool_name,
                 tmpl.height, protocol::display_hex(tmpl.previous_block_hash),
                 tmpl.transactions.size());
  }
  if (status_) status_->on_template(tmpl.height);
  jobs_[id] = Issued{std::move(built).value(),
                     std::make_shared<const node::BlockTemplate>(std::move(tmpl))};
  job_order_.push_back(id);
  while (job_order_.size() > options_.jobs_per_tip) {
    jobs_.erase(job_order_.front());
    job_order_.pop_front();
  }
  auto events = events_.lock();
  if (!events) return;
  if (!handshake_done_) {
    handshake_done_ = true;
    if (status_) status_->on_authorized();
    events->on_session_authorized(*this);
    if (closed_) return;
  }
  served_work_ = true;
  events->on_session_difficulty(*this, work.difficulty);
  if (closed_) return;
  events->on_session_job(*this, work);
}

void NodeSession::arm_refresh() {
  refresh_timer_.expires_after(config_.pool_options.template_refresh);
  refresh_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock(); self && !self->closed_) self->request_template(false);
  });
}

void NodeSession::submit(const protocol::Share& share, SubmitDone done) {
  using protocol::ShareFate;
  if (closed_) return done(ShareFate::kRejected, "disconnected");
  const auto it = jobs_.find(share.job_id);
  if (it == jobs_.end()) return done(ShareFate::kStale, "unknown job (its template is gone)");
  const Issued& issued = it->second;
  const protocol::Job& job = issued.work.job;
  const uint32_t mask = version_mask_for(*issued.tmpl);
  const uint32_t version =
      (job.version & ~mask) | (share.version_bits ? *share.version_bits & mask : 0);
  const auto header = protocol::share_header(job, issued.work.extranonce, share.extranonce2,
                                             version, share.ntime, share.nonce);
  const auto hash = hashcore::sha256d(header);
  if (!hashcore::meets_target(hash, issued.tmpl->target)) {
    return done(ShareFate::kRejected, "above the template's target (checked before sending)");
  }
  // One block per tip: a second on the same previous block could only
  // compete with our own (the node answers "inconclusive").
  if (block_sent_on_ == issued.tmpl->previous_block_hash) {
    return done(ShareFate::kStale, "a block on this tip was already sent");
  }
  block_sent_on_ = issued.tmpl->previous_block_hash;
  const std::string block_hash = protocol::display_hex(hash);
  spdlog::info("[{}] sending block {} at height {}", config_.pool_name, block_hash,
               issued.tmpl->height);
  if (status_) status_->on_block_submitted();
  const std::string hex = node::block_hex(issued.work, *issued.tmpl, share.extranonce2, version,
                                          share.ntime, share.nonce);
  // On its own client, never cancelled: a block the session's end would
  // cut off may still be the node's new tip, and its verdict is wanted.
  submit_rpc_->call(
      "submitblock", nlohmann::json::array({hex}), config_.request_timeout,
      [weak = weak_from_this(), status = status_, pool = config_.pool_name, block_hash,
       done = std::move(done)](RpcResult r) mutable {
        const std::string reason = submit_verdict(r);
        if (reason.empty()) {
          spdlog::info("[{}] block {} accepted by the node", pool, block_hash);
        } else {
          spdlog::warn("[{}] block {} rejected by the node: {}", pool, block_hash, reason);
        }
        if (status) status->on_block_verdict(reason.empty(), reason);
        done(reason.empty() ? protocol::ShareFate::kAccepted : protocol::ShareFate::kRejected,
             reason);
        if (auto self = weak.lock()) self->after_block(reason.empty());
      });
}

void NodeSession::after_block(bool accepted) {
  if (closed_) return;
  // The tip has moved: the long poll brings the next template, but ask now.
  if (accepted) return request_template(false);
  block_sent_on_.reset();  // another block on this tip may do better
}

void NodeSession::on_rpc_failure(const std::string& what, const RpcError& error) {
  if (error.kind == RpcErrorKind::kCancelled) return;
  if (error.kind == RpcErrorKind::kUnauthorized) {
    SessionEnd end = SessionEnd::failed(
        "the node refused the RPC credentials (HTTP 401): check user and password, or "
        "cookie_file and its permissions");
    end.wait = options_.unauthorized_wait;
    if (status_ && !status_->first_refusal()) end.reason = "the node still refuses the credentials";
    return finish(std::move(end));
  }
  if (error.kind == RpcErrorKind::kRpc && (error.code == -9 || error.code == -10)) {
    return finish(SessionEnd::failed(what + ": the node is not ready (" + describe(error) + ")"));
  }
  finish(SessionEnd::failed(what + ": " + describe(error)));
}

void NodeSession::close() {
  shut();
}

void NodeSession::shut() {
  if (closed_) return;
  closed_ = true;
  refresh_timer_.cancel();
  rpc_->cancel();
  long_poll_->cancel();
}

void NodeSession::finish(SessionEnd end) {
  if (closed_) return;
  auto self = shared_from_this();  // the client drops its reference in on_session_closed
  if (auto v = config_.log_throttle->admit("disconnect " + config_.pool_name)) {
    spdlog::warn("[{}] node session ended: {}{}", config_.pool_name, printable(end.reason),
                 v.suffix());
  }
  shut();
  if (auto events = events_.lock()) events->on_session_closed(*this, end);
}

stratum::NodeUpstream node_upstream(std::shared_ptr<NodeStatusBoard> board,
                                    NodeSessionOptions options) {
  stratum::NodeUpstream upstream;
  upstream.make_session = [board, options](asio::io_context& io, stratum::SessionConfig config,
                                           std::weak_ptr<stratum::SessionEvents> events) {
    auto status = board ? board->for_pool(config.pool, config.pool_name) : nullptr;
    return std::make_shared<NodeSession>(io, std::move(config), std::move(events),
                                         std::move(status), options);
  };
  upstream.make_probe = [options](asio::io_context& io, const stratum::SessionConfig& config,
                                  stratum::Millis timeout) {
    return std::make_shared<NodeProbe>(io, endpoint_of(config), credentials_of(config.pool_options),
                                       timeout, options.limits);
  };
  return upstream;
}

}  // namespace synthminer::solo
