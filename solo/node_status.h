// What the node sessions of one pool entry have learnt, for telemetry, the
// API and the status line: the chain, the height being mined, the age of
// the template, the blocks sent and the node's verdicts. Written on the io
// thread by NodeSession, read from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace synthminer::solo {

struct NodeSnapshot {
  size_t pool = 0;
  std::string pool_name;
  std::string chain;             ///< getblockchaininfo's: "main", "test", "regtest", ...; "" before
  uint64_t node_height = 0;      ///< the node's best block, as last heard
  uint64_t template_height = 0;  ///< the height of the block being mined
  std::optional<std::chrono::steady_clock::time_point> template_at;  ///< latest template
  uint64_t templates = 0;                                            ///< received in all
  uint64_t blocks_submitted = 0;
  uint64_t blocks_accepted = 0;
  std::map<std::string, uint64_t> blocks_rejected;  ///< by the node's reason (bounded)

  /// Seconds since the latest template; nullopt before the first.
  std::optional<double> template_age_seconds(std::chrono::steady_clock::time_point now) const;
};

class NodeStatus {
 public:
  NodeStatus(size_t pool, std::string pool_name);

  void set_chain(const std::string& chain, uint64_t node_height);
  void on_template(uint64_t height);
  void on_block_submitted();
  void on_block_verdict(bool accepted, const std::string& reason);
  /// True the first time in a row the node refuses the credentials (say it
  /// then); a good answer resets it.
  bool first_refusal();
  void on_authorized();

  NodeSnapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  NodeSnapshot s_;
  bool refusal_said_ = false;
};

/// One NodeStatus per node pool, made when its first session starts.
class NodeStatusBoard {
 public:
  std::shared_ptr<NodeStatus> for_pool(size_t pool, const std::string& pool_name);
  std::vector<NodeSnapshot> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<size_t, std::shared_ptr<NodeStatus>> statuses_;
};

}  // namespace synthminer::solo
