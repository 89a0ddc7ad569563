// Fixtures and blocks for the fake node's tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/address.h"
#include "node/block_template.h"
#include "tests/fake_node/block_variants.h"

namespace synthminer::fake_node::testing {

inline std::vector<uint8_t> payout_script() {
  return *node::output_script(kTestPayoutAddress, node::Chain::kRegtest);
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

/// Mines `tmpl` to `payout` (block_variants.h).
inline std::string mine(const node::BlockTemplate& tmpl,
                        const std::vector<uint8_t>& payout = payout_script(),
                        bool miss_target = false) {
  std::string hex = mine_block(tmpl, payout, miss_target);
  EXPECT_FALSE(hex.empty()) << "node/ refused the template";
  return hex;
}

}  // namespace synthminer::fake_node::testing
