#include "solo/node_probe.h"

namespace synthminer::solo {

NodeProbe::NodeProbe(asio::io_context& io, RpcEndpoint endpoint, RpcCredentials credentials,
                     std::chrono::milliseconds timeout, RpcLimits limits)
    : rpc_(std::make_shared<RpcClient>(io, std::move(endpoint), std::move(credentials), limits)),
      timeout_(timeout) {}

void NodeProbe::start(Done done) {
  done_ = std::move(done);
  rpc_->call("getblockchaininfo", nlohmann::json::array(), timeout_,
             [weak = weak_from_this()](RpcResult r) {
               auto self = weak.lock();
               if (!self || !self->done_) return;
               auto report = std::exchange(self->done_, nullptr);
               if (!r) {
                 if (r.error().kind == RpcErrorKind::kCancelled) return;
                 return report(false, r.error().message);
               }
               report(true, "");
             });
}

void NodeProbe::cancel() {
  done_ = nullptr;  // reports nothing
  rpc_->cancel();
}

}  // namespace synthminer::solo
