// Is a node ready to be mined? Asks getblockchaininfo within the timeout:
// healthy when it answers with our credentials. The failback policy
// uses it, as it uses PoolProbe for a pool ahead of the current one.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <memory>

#include "solo/rpc_client.h"
#include "stratum/upstream.h"

namespace synthminer::solo {

class NodeProbe final : public stratum::UpstreamProbe,
                        public std::enable_shared_from_this<NodeProbe> {
 public:
  NodeProbe(asio::io_context& io, RpcEndpoint endpoint, RpcCredentials credentials,
            std::chrono::milliseconds timeout, RpcLimits limits = {});

  void start(Done done) override;
  void cancel() override;

 private:
  std::shared_ptr<RpcClient> rpc_;
  std::chrono::milliseconds timeout_;
  Done done_;
};

}  // namespace synthminer::solo
