// Helpers for the solo-mining tests: a stratum::Client whose only upstreams
// are nodes (FakeNode), the recorded templates, and a CPU miner for the
// tiny regtest targets.
#pragma once

#include <utility>

#include <boost/asio.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/address.h"
#include "solo/node_session.h"
#include "stratum/client.h"
#include "tests/fake_node/fake_node.h"
#include "tests/stratum/client_test_util.h"

namespace synthminer::solo::testing {

using namespace std::chrono_literals;
using stratum::testing::find_share;
using stratum::testing::Recorder;
using stratum::testing::run_for;
using stratum::testing::run_until;

/// BIP 173's P2WPKH program as a regtest address: where the tests' blocks pay.
inline constexpr const char* kAddress = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

inline std::vector<uint8_t> payout_script() {
  return node::output_script(kAddress, node::Chain::kRegtest).value();
}

/// A template recorded from Bitcoin Core (tests/fake_node/data).
inline nlohmann::json recorded(const std::string& name) {
  std::ifstream in(std::string(SYNTHMINER_FAKE_NODE_DATA) + "/" + name);
  if (!in) throw std::runtime_error("missing recorded template " + name);
  return nlohmann::json::parse(in);
}

/// A node entry for `node`, with short test timeouts around it.
inline stratum::PoolOptions node_entry(const fake_node::FakeNode& node) {
  stratum::PoolOptions p;
  p.url = "http://127.0.0.1:" + std::to_string(node.port());
  p.user = node.user();
  p.password = node.password();
  p.coinbase_address = kAddress;
  return p;
}

inline stratum::ClientOptions options_for(std::vector<stratum::PoolOptions> entries) {
  stratum::ClientOptions o = stratum::testing::test_options({});
  o.pools = std::move(entries);
  return o;
}

inline NodeSessionOptions fast_session_options() {
  NodeSessionOptions o;
  o.unauthorized_wait = 300ms;
  o.long_poll_timeout = 5s;
  return o;
}

inline std::shared_ptr<stratum::Client> make_solo_client(
    boost::asio::io_context& io, stratum::ClientOptions options, protocol::WorkListener& listener,
    std::shared_ptr<NodeStatusBoard> board = std::make_shared<NodeStatusBoard>(),
    NodeSessionOptions session = fast_session_options()) {
  auto client = stratum::Client::create(io, std::move(options), listener,
                                        node_upstream(std::move(board), session));
  if (!client) throw std::runtime_error(client.error());
  return std::move(client).value();
}

/// Mines `job` on the CPU and hands the block to `client`.
inline bool mine_and_submit(stratum::Client& client, const protocol::WorkItem& job,
                            uint32_t first_nonce = 0) {
  const auto share = find_share(job, first_nonce);
  if (!share) return false;
  client.submit(*share, protocol::job_ref(job, 0), true);
  return true;
}

}  // namespace synthminer::solo::testing
