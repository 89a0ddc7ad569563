// A getblocktemplate result (BIP 22, BIP 23, BIP 9, BIP 145) as a checked
// value. Parsing never throws: every missing or malformed field is an
// error naming its JSON path, without quoting the value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hashcore/scan.h"
#include "node/result.h"
#include "protocol/job.h"

namespace synthminer::node {

/// Transactions a template may list (a 4 MWU block holds at most ~25,000
/// of the smallest); more is not a template from a node.
inline constexpr size_t kMaxTemplateTransactions = 100000;

/// One transaction of the template, in block order.
struct TemplateTransaction {
  std::vector<uint8_t> data;  ///< serialized as in the block (with witness)
  protocol::Hash256 txid{};   ///< internal byte order (RPC's hex reversed)
  protocol::Hash256 wtxid{};  ///< the template's `hash`, internal byte order
  int64_t fee = 0;            ///< satoshis
  int64_t weight = 0;         ///< weight units
};

struct BlockTemplate {
  uint32_t version = 0;
  protocol::Hash256 previous_block_hash{};  ///< internal byte order, as the header holds it
  std::vector<TemplateTransaction> transactions;
  int64_t coinbase_value = 0;  ///< satoshis: subsidy plus fees, > 0
  hashcore::Target target;     ///< equals the target `bits` encodes
  uint32_t bits = 0;           ///< compact target for the header
  uint32_t curtime = 0;        ///< seconds since the epoch
  uint32_t mintime = 0;        ///< seconds since the epoch
  uint32_t height = 0;         ///< of the block to be mined
  std::optional<std::string> longpollid;
  /// The coinbase output script the node proposes (6a24aa21a9ed...).
  std::optional<std::vector<uint8_t>> default_witness_commitment;
  std::vector<std::string> rules;                          ///< e.g. "csv", "!segwit", "taproot"
  std::map<std::string, uint32_t> vbavailable;             ///< pending deployments: name to bit
  std::optional<std::vector<std::string>> mutable_fields;  ///< the template's `mutable`

  /// True when any transaction carries a witness (wtxid differs from txid).
  bool has_witness_transactions() const;
};

/// Checks and converts the `result` of getblocktemplate. Errors read like
/// "getblocktemplate: /transactions/3/data: not hex".
Result<BlockTemplate> parse_block_template(const nlohmann::json& result);

}  // namespace synthminer::node
