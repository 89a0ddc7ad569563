// The synthesized regtest template of data/ (see data/README.md), loaded
// for the tests of block_template, coinbase and block.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace synthminer::node::testing {

inline nlohmann::json load_template_json() {
  std::ifstream in(SYNTHMINER_NODE_TEST_DATA "/template_regtest_segwit.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace synthminer::node::testing
