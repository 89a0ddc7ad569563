// fake_node_variants TEMPLATE.json: prints block_variants() of a
// getblocktemplate result, paying the tests' payout address, as a JSON
// array of {name, reason, ours_only, hex}. record.sh submits each to
// Bitcoin Core and keeps Core's verdicts beside ours.
#include <fstream>
#include <iostream>
#include <sstream>

#include "node/address.h"
#include "tests/fake_node/block_variants.h"

int main(int argc, char** argv) {
  using namespace synthminer;
  if (argc != 2) {
    std::cerr << "usage: fake_node_variants TEMPLATE.json\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  const auto gbt = nlohmann::json::parse(text.str(), nullptr, false);
  const auto tmpl = node::parse_block_template(gbt);
  if (!tmpl.ok()) {
    std::cerr << "fake_node_variants: " << tmpl.error() << "\n";
    return 1;
  }
  const auto payout = *node::output_script(fake_node::kTestPayoutAddress, node::Chain::kRegtest);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : fake_node::block_variants(*tmpl, payout)) {
    out.push_back(
        {{"name", v.name}, {"reason", v.reason}, {"ours_only", v.ours_only}, {"hex", v.hex}});
  }
  std::cout << out.dump(1) << "\n";
  return 0;
}
