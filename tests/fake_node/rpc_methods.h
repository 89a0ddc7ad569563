// The bitcoind RPC methods FakeNode answers, on its FakeChain, and
// Core's JSON-RPC 1.0 answer shapes. Called with FakeNode's mutex held.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "tests/fake_node/fake_chain.h"
#include "tests/fake_node/fake_node.h"
#include "tests/fake_node/rpc_server.h"

namespace synthminer::fake_node {

// Core's error codes (src/rpc/protocol.h).
inline constexpr int kRpcMiscError = -1;
inline constexpr int kRpcTypeError = -3;
inline constexpr int kRpcInvalidParameter = -8;
inline constexpr int kRpcInInitialDownload = -10;
inline constexpr int kRpcDeserializationError = -22;
inline constexpr int kRpcMethodNotFound = -32601;

struct MethodContext {
  const FakeNodeOptions& options;
  std::string method;
  nlohmann::json id;
  nlohmann::json params;  ///< an array (positional) or an object (named)
};

/// HTTP 200 {"result":result,"error":null,"id":id}.
HttpAnswer rpc_result(const nlohmann::json& id, const nlohmann::json& result);
/// {"result":null,"error":{"code","message"},"id"} with Core's HTTP status:
/// 404 for an unknown method, 400 for an invalid request, else 500.
HttpAnswer rpc_error(const nlohmann::json& id, int code, const std::string& message);

/// Runs one method. A getblocktemplate on the current longpollid comes
/// back with `hold` set (FakeNode fills in the time).
HttpAnswer run_method(FakeChain& chain, const MethodContext& call);

}  // namespace synthminer::fake_node
