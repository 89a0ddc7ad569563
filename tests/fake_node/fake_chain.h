// The chain a fake node pretends to have: the template it serves now, the
// ones it served before (a block may still build on them), a queue of
// templates to serve after each accepted block, and the submissions.
// Not thread-safe: FakeNode holds it behind its mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/fake_node/block_checker.h"

namespace synthminer::fake_node {

struct Submission {
  std::string block_hex;
  CheckResult check;      ///< against the template the block builds on
  nlohmann::json answer;  ///< what submitblock answered: null, or a reason string
};

class FakeChain {
 public:
  /// Serves `gbt` from now on. Its `longpollid` is rewritten to
  /// previousblockhash + a sequence number, so every publish is new.
  void publish(nlohmann::json gbt);
  /// Queues `gbt` to be published after the next accepted block.
  void push(nlohmann::json gbt);
  /// After an accepted block: the next queued template, or, with none
  /// queued, an empty one on top of `block_hash` (height + 1, no
  /// transactions, the subsidy without the fees).
  void advance(const std::string& block_hash);

  bool has_template() const { return !current_.is_null(); }
  const nlohmann::json& current() const { return current_; }
  std::string longpollid() const;
  size_t queued() const { return queue_.size(); }

  /// The height of the tip (the current template's height minus one), 0 before any.
  uint32_t blocks() const;
  /// getblockchaininfo's result for `chain_name`.
  nlohmann::json chain_info(const std::string& chain_name) const;

  /// Judges a block: "duplicate" when accepted before, checked against the
  /// templates served on its previous hash (passing one of them is enough); a good block on an
  /// older template is "inconclusive" (a side chain), on the current one it is accepted and the
  /// chain advances. Records the submission and returns the answer.
  nlohmann::json submit(const std::string& block_hex, const std::vector<uint8_t>& payout_script);
  const std::vector<Submission>& submissions() const { return submissions_; }

 private:
  CheckResult check(const std::string& block_hex, const std::vector<uint8_t>& payout_script) const;

  nlohmann::json current_;
  std::vector<nlohmann::json> queue_;                          ///< front first
  std::map<std::string, std::vector<nlohmann::json>> served_;  ///< by previousblockhash
  std::set<std::string> accepted_;                             ///< block hashes, RPC order
  std::vector<Submission> submissions_;
  uint64_t sequence_ = 0;
};

}  // namespace synthminer::fake_node
