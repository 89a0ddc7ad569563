// Blocks for the fake node's tests, assembled with node/ (the code under
// test elsewhere) and mined on the CPU: regtest's target takes a nonce or two.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hashcore/scan.h"
#include "node/address.h"
#include "node/block.h"
#include "node/block_template.h"
#include "node/coinbase.h"
#include "protocol/work.h"

namespace synthminer::fake_node::testing {

/// The regtest payout of the tests (BIP 173's P2WPKH example on regtest).
inline constexpr const char* kPayoutAddress = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";

inline std::vector<uint8_t> payout_script() {
  return *node::output_script(kPayoutAddress, node::Chain::kRegtest);
}

/// A file of data/ as JSON.
inline nlohmann::json load_json(const std::string& name) {
  std::ifstream in(std::string(SYNTHMINER_FAKE_NODE_DATA) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

inline node::BlockTemplate parse(const nlohmann::json& gbt) {
  auto parsed = node::parse_block_template(gbt);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return std::move(parsed).value();
}

/// Mines `tmpl` to `payout`: the first nonce whose header meets the
/// template's target, or with `miss_target` the first that does not.
inline std::string mine(const node::BlockTemplate& tmpl,
                        const std::vector<uint8_t>& payout = payout_script(),
                        bool miss_target = false) {
  node::CoinbaseOptions options;
  options.payout_script = payout;
  auto work = node::build_template_job(tmpl, options, "t");
  EXPECT_TRUE(work.ok()) << work.error();
  if (!work.ok()) return {};
  const auto& job = work->job;
  const std::vector<uint8_t> extranonce2(options.extranonce_size, 0x5a);
  uint32_t nonce = 0;
  while (hashcore::meets_target(
             hashcore::sha256d(protocol::share_header(job, work->extranonce, extranonce2,
                                                      job.version, job.ntime, nonce)),
             tmpl.target) == miss_target) {
    ++nonce;
  }
  return node::block_hex(*work, tmpl, extranonce2, job.version, job.ntime, nonce);
}

}  // namespace synthminer::fake_node::testing
