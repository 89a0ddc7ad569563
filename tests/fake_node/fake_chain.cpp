#include "tests/fake_node/fake_chain.h"

#include "protocol/hex.h"
#include "tests/fake_node/block_reader.h"

namespace synthminer::fake_node {
namespace {

using nlohmann::json;

// The commitment Core proposes for a block of the coinbase alone:
// sha256d(32 zero bytes || 32 zero bytes) after 6a24aa21a9ed.
constexpr const char* kEmptyBlockCommitment =
    "6a24aa21a9ede2f61c3f71d1defd3fa999dfa36953755c690689799962b48bebd836974e8cf9";

// The previous hash a block's header names, RPC order; empty when the hex
// is shorter than a header.
std::string prev_hash_of(const std::string& block_hex) {
  if (block_hex.size() < 160) return {};
  const auto bytes = protocol::from_hex(block_hex.substr(8, 64));
  if (!bytes) return {};
  Hash h{};
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return rpc_hex(h);
}

json empty_successor(const json& t, const std::string& block_hash) {
  json next = t;
  int64_t fees = 0;
  for (const json& tx : t.at("transactions")) fees += tx.value("fee", int64_t{0});
  next["previousblockhash"] = block_hash;
  next["height"] = t.at("height").get<uint32_t>() + 1;
  next["transactions"] = json::array();
  next["coinbasevalue"] = t.at("coinbasevalue").get<int64_t>() - fees;
  next["curtime"] = t.at("curtime").get<uint32_t>() + 1;
  if (t.contains("default_witness_commitment")) {
    next["default_witness_commitment"] = kEmptyBlockCommitment;
  }
  return next;
}

}  // namespace

void FakeChain::publish(json gbt) {
  ++sequence_;
  gbt["longpollid"] = gbt.at("previousblockhash").get<std::string>() + std::to_string(sequence_);
  served_[gbt.at("previousblockhash").get<std::string>()].push_back(gbt);
  current_ = std::move(gbt);
}

void FakeChain::push(json gbt) {
  queue_.push_back(std::move(gbt));
}

void FakeChain::advance(const std::string& block_hash) {
  if (queue_.empty()) {
    publish(empty_successor(current_, block_hash));
    return;
  }
  json next = std::move(queue_.front());
  queue_.erase(queue_.begin());
  publish(std::move(next));
}

std::string FakeChain::longpollid() const {
  return has_template() ? current_.value("longpollid", std::string{}) : std::string{};
}

uint32_t FakeChain::blocks() const {
  return has_template() ? current_.at("height").get<uint32_t>() - 1 : 0;
}

json FakeChain::chain_info(const std::string& chain_name) const {
  const std::string best =
      has_template() ? current_.at("previousblockhash").get<std::string>() : std::string(64, '0');
  return {{"chain", chain_name},
          {"blocks", blocks()},
          {"headers", blocks()},
          {"bestblockhash", best},
          {"bits", has_template() ? current_.value("bits", std::string()) : std::string()},
          {"target", has_template() ? current_.value("target", std::string()) : std::string()},
          {"difficulty", 4.656542373906925e-10},
          {"mediantime", has_template() ? current_.value("mintime", 1) - 1 : 0},
          {"verificationprogress", 1},
          {"initialblockdownload", !has_template()},
          {"pruned", false},
          {"warnings", json::array()}};
}

CheckResult FakeChain::check(const std::string& block_hex,
                             const std::vector<uint8_t>& payout_script) const {
  const auto served = served_.find(prev_hash_of(block_hex));
  if (served == served_.end()) return check_block(block_hex, current_, payout_script);
  CheckResult result;
  for (auto it = served->second.rbegin(); it != served->second.rend(); ++it) {
    result = check_block(block_hex, *it, payout_script);
    if (result.ok) break;
  }
  return result;
}

json FakeChain::submit(const std::string& block_hex, const std::vector<uint8_t>& payout_script) {
  const bool on_current =
      has_template() && prev_hash_of(block_hex) == current_.at("previousblockhash");
  Submission s{block_hex, check(block_hex, payout_script), nullptr};
  if (s.check.ok && accepted_.count(s.check.block_hash)) {
    s.answer = "duplicate";
  } else if (!s.check.ok) {
    s.answer = s.check.reason;
  } else if (!on_current) {
    s.answer = "inconclusive";
  } else {
    accepted_.insert(s.check.block_hash);
    advance(s.check.block_hash);
  }
  submissions_.push_back(s);
  return s.answer;
}

}  // namespace synthminer::fake_node
