#include "tests/fake_node/rpc_methods.h"

#include <algorithm>

#include "protocol/hex.h"
#include "tests/fake_node/block_reader.h"

namespace synthminer::fake_node {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The first positional parameter, or the named one.
json param(const MethodContext& call, const char* name) {
  if (call.params.is_array()) return call.params.empty() ? json() : call.params[0];
  if (call.params.is_object()) return call.params.value(name, json());
  return json();
}

HttpAnswer get_block_template(FakeChain& chain, const MethodContext& call) {
  json request = param(call, "template_request");
  if (request.is_null()) request = json::object();
  if (!request.is_object()) return rpc_error(call.id, kRpcTypeError, "Expected type object");
  const json rules = request.value("rules", json::array());
  if (!rules.is_array() || std::find(rules.begin(), rules.end(), "segwit") == rules.end()) {
    return rpc_error(call.id, kRpcInvalidParameter,
                     "getblocktemplate must be called with the segwit rule set (call with "
                     "{\"rules\": [\"segwit\"]})");
  }
  if (!chain.has_template()) {
    return rpc_error(call.id, kRpcInInitialDownload,
                     "Bitcoin Core is in initial sync and waiting for blocks...");
  }
  const std::string mode = request.value("mode", std::string("template"));
  if (mode == "proposal") {
    const CheckResult r = check_block(request.value("data", std::string()), chain.current(),
                                      call.options.payout_script);
    if (r.ok) return rpc_result(call.id, nullptr);
    return rpc_result(
        call.id, r.reason == "prev-blk-not-found" ? "inconclusive-not-best-prevblk" : r.reason);
  }
  if (mode != "template") return rpc_error(call.id, kRpcInvalidParameter, "Invalid mode");
  if (request.contains("longpollid") && request["longpollid"] == chain.longpollid()) {
    HttpAnswer held;
    held.hold = std::chrono::milliseconds(0);
    held.id = call.id;
    return held;
  }
  return rpc_result(call.id, chain.current());
}

// Core refuses what it cannot decode before it judges the block.
std::optional<HttpAnswer> undecodable(const std::string& hex, const json& id) {
  std::string error;
  const auto bytes = protocol::from_hex(hex);
  const auto block = bytes ? read_block(*bytes, error) : std::nullopt;
  if (!block) return rpc_error(id, kRpcDeserializationError, "Block decode failed");
  const auto& txs = block->transactions;
  if (txs.empty() || txs[0].inputs.size() != 1 || txs[0].inputs[0].prev_txid != Hash{}) {
    return rpc_error(id, kRpcDeserializationError, "Block does not start with a coinbase");
  }
  return std::nullopt;
}

HttpAnswer submit_block(FakeChain& chain, const MethodContext& call) {
  const json hex = param(call, "hexdata");
  if (!hex.is_string()) {
    return rpc_error(call.id, kRpcMiscError, "submitblock \"hexdata\" ( \"dummy\" )");
  }
  if (auto refused = undecodable(hex.get<std::string>(), call.id)) return *refused;
  return rpc_result(call.id, chain.submit(hex.get<std::string>(), call.options.payout_script));
}

}  // namespace

HttpAnswer rpc_result(const json& id, const json& result) {
  ordered_json body;
  body["result"] = result;
  body["error"] = nullptr;
  body["id"] = id;
  return HttpAnswer{200, body.dump() + "\n", false, {}, {}, id};
}

HttpAnswer rpc_error(const json& id, int code, const std::string& message) {
  ordered_json error;
  error["code"] = code;
  error["message"] = message;
  ordered_json body;
  body["result"] = nullptr;
  body["error"] = error;
  body["id"] = id;
  const unsigned status = code == kRpcMethodNotFound ? 404 : code == -32600 ? 400 : 500;
  return HttpAnswer{status, body.dump() + "\n", false, {}, {}, id};
}

HttpAnswer run_method(FakeChain& chain, const MethodContext& call) {
  if (call.method == "getblocktemplate") return get_block_template(chain, call);
  if (call.method == "submitblock") return submit_block(chain, call);
  if (call.method == "getblockchaininfo") {
    return rpc_result(call.id, chain.chain_info(call.options.chain));
  }
  if (call.method == "getblockcount") return rpc_result(call.id, chain.blocks());
  if (call.method == "getbestblockhash") {
    return rpc_result(call.id, chain.chain_info(call.options.chain)["bestblockhash"]);
  }
  return rpc_error(call.id, kRpcMethodNotFound, "Method not found");
}

}  // namespace synthminer::fake_node
