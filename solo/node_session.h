// One session with a node, as the stratum::Client sees an upstream: the
// node's chain (getblockchaininfo), then its block templates as jobs, and
// every block found sent back with submitblock.
//
// Design: everything on the io thread. RpcClients: one for the long
// poll (getblocktemplate with `longpollid`, which the node holds until the
// tip changes or its mempool has moved on), one for everything else (the
// first template, the refresh every `template_refresh`); a third sends
// blocks and is never cancelled, so a block in flight when the session ends
// still gets its verdict (it may be the node's new tip).
//  - start: getblockchaininfo -> the chain; the payout address checked
//    against it; then connected, subscribed (extranonce1 empty,
//    extranonce2 of 8 bytes), authorized, as a pool's handshake reads.
//  - each template becomes a job (node::build_template_job) with its exact
//    share target (the network's) and BIP 320's version bits to roll, less
//    the deployment bits. A new previous block makes the job clean
//    and forgets the jobs of the old tip; a refresh on the same tip adds a
//    job and keeps the last few (their blocks are still valid).
//  - submit: the job's template, the header hashed again against the
//    template's target, the block serialized whole, submitblock. The
//    node's answer is the verdict: null accepted, a string rejected with
//    that reason. A block whose tip is gone was judged stale by the
//    Client's book before it got here.
//  - failures (node down, RPC error, a malformed template, wrong
//    credentials) end the session with a reason, the Client's back-off and
//    failover take over; refused credentials are said once and wait longer.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "node/address.h"
#include "node/block_template.h"
#include "node/coinbase.h"
#include "solo/node_status.h"
#include "solo/rpc_client.h"
#include "stratum/upstream.h"

namespace synthminer::solo {

struct NodeSessionOptions {
  /// How long the node may hold a long poll before we ask again.
  std::chrono::milliseconds long_poll_timeout{std::chrono::minutes(10)};
  /// After the node refused the credentials: the least wait before trying again.
  std::chrono::milliseconds unauthorized_wait{std::chrono::seconds(30)};
  /// Jobs kept per tip (older templates' blocks stay valid until the tip moves).
  size_t jobs_per_tip = 8;
  RpcLimits limits;
};

class NodeSession final : public stratum::UpstreamSession,
                          public std::enable_shared_from_this<NodeSession> {
 public:
  /// `status`: what the session learns, for telemetry (shared per pool,
  /// outlives the session); may be null.
  NodeSession(asio::io_context& io, stratum::SessionConfig config,
              std::weak_ptr<stratum::SessionEvents> events, std::shared_ptr<NodeStatus> status,
              NodeSessionOptions options = {});
  ~NodeSession() override;

  void start() override;
  void close() override;
  void submit(const protocol::Share& share, SubmitDone done) override;
  const stratum::SessionConfig& config() const override { return config_; }
  bool served_work() const override { return served_work_; }

 private:
  struct Issued {
    node::TemplateJob work;
    std::shared_ptr<const node::BlockTemplate> tmpl;
  };

  void on_chain_info(RpcResult result);
  void request_template(bool long_poll);
  void on_template(RpcResult result, bool long_poll);
  void issue_job(node::BlockTemplate tmpl);
  void arm_refresh();
  /// The node's verdict on our block is in: ask for the next template, or
  /// let another block on this tip be tried.
  void after_block(bool accepted);
  void on_rpc_failure(const std::string& what, const RpcError& error);
  void finish(stratum::SessionEnd end);
  void shut();

  asio::io_context& io_;
  stratum::SessionConfig config_;
  std::weak_ptr<stratum::SessionEvents> events_;
  std::shared_ptr<NodeStatus> status_;
  NodeSessionOptions options_;
  std::shared_ptr<RpcClient> rpc_;         ///< the first template, refreshes, submitblock
  std::shared_ptr<RpcClient> long_poll_;   ///< held by the node until something changes
  std::shared_ptr<RpcClient> submit_rpc_;  ///< submitblock only; outlives close() to hear verdicts
  asio::steady_timer refresh_timer_;

  node::Chain chain_ = node::Chain::kMain;
  node::CoinbaseOptions coinbase_;
  std::map<std::string, Issued> jobs_;  ///< by job id, all on the current tip
  std::deque<std::string> job_order_;   ///< oldest first, for the per-tip bound
  std::optional<protocol::Hash256> tip_;
  std::optional<protocol::Hash256> block_sent_on_;  ///< the tip a block was sent for
  uint64_t next_job_ = 1;
  bool long_poll_pending_ = false;
  bool handshake_done_ = false;
  bool served_work_ = false;
  bool closed_ = false;
};

/// The NodeUpstream the Client makes node sessions and probes with; the
/// statuses (one per pool index) are shared with telemetry.
stratum::NodeUpstream node_upstream(std::shared_ptr<NodeStatusBoard> board,
                                    NodeSessionOptions options = {});

}  // namespace synthminer::solo
