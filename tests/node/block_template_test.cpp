// getblocktemplate results: the synthesized regtest template parses to its
// numbers, and every broken field is an error that names it.
#include "node/block_template.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "protocol/hex.h"
#include "protocol/work.h"
#include "test_template.h"

namespace synthminer::node {
namespace {

using nlohmann::json;

std::string display(const protocol::Hash256& h) {
  return protocol::display_hex(h);
}

std::string error_of(const json& t) {
  const auto parsed = parse_block_template(t);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? std::string{} : parsed.error();
}

TEST(BlockTemplate, ParsesTheRegtestTemplate) {
  const json t = testing::load_template_json();
  const auto parsed = parse_block_template(t);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  const BlockTemplate& b = *parsed;
  EXPECT_EQ(b.version, 0x20000000u);
  EXPECT_EQ(display(b.previous_block_hash), t["previousblockhash"].get<std::string>());
  ASSERT_EQ(b.transactions.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    const json& tx = t["transactions"][i];
    EXPECT_EQ(protocol::to_hex(b.transactions[i].data), tx["data"].get<std::string>());
    EXPECT_EQ(display(b.transactions[i].txid), tx["txid"].get<std::string>());
    EXPECT_EQ(display(b.transactions[i].wtxid), tx["hash"].get<std::string>());
    EXPECT_EQ(b.transactions[i].fee, tx["fee"].get<int64_t>());
    EXPECT_EQ(b.transactions[i].weight, tx["weight"].get<int64_t>());
  }
  EXPECT_TRUE(b.has_witness_transactions());
  EXPECT_EQ(b.coinbase_value, t["coinbasevalue"].get<int64_t>());
  EXPECT_EQ(b.bits, 0x207fffffu);
  EXPECT_EQ(b.target, *protocol::nbits_to_target(0x207fffff));
  EXPECT_EQ(b.target.to_hex(), t["target"].get<std::string>());
  EXPECT_EQ(b.curtime, 1733400600u);
  EXPECT_EQ(b.mintime, 1733400000u);
  EXPECT_EQ(b.height, 300u);
  EXPECT_EQ(b.longpollid, t["longpollid"].get<std::string>());
  ASSERT_TRUE(b.default_witness_commitment.has_value());
  EXPECT_EQ(protocol::to_hex(*b.default_witness_commitment),
            t["default_witness_commitment"].get<std::string>());
  EXPECT_EQ(b.rules, (std::vector<std::string>{"csv", "!segwit", "taproot"}));
  EXPECT_TRUE(b.vbavailable.empty());
  EXPECT_EQ(b.mutable_fields, (std::vector<std::string>{"time", "transactions", "prevblock"}));
}

TEST(BlockTemplate, OptionalFieldsMayBeAbsent) {
  json t = testing::load_template_json();
  for (const char* key : {"longpollid", "default_witness_commitment", "vbavailable", "mutable"}) {
    t.erase(key);
  }
  t["transactions"] = json::array();
  const auto parsed = parse_block_template(t);
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_FALSE(parsed->longpollid);
  EXPECT_FALSE(parsed->default_witness_commitment);
  EXPECT_FALSE(parsed->mutable_fields);
  EXPECT_FALSE(parsed->has_witness_transactions());
}

TEST(BlockTemplate, EveryMissingRequiredFieldIsNamed) {
  for (const char* key : {"version", "previousblockhash", "transactions", "coinbasevalue", "target",
                          "bits", "curtime", "mintime", "height", "rules"}) {
    json t = testing::load_template_json();
    t.erase(key);
    EXPECT_EQ(error_of(t), "getblocktemplate: /" + std::string(key) + ": missing");
  }
  for (const char* key : {"data", "txid", "hash", "fee", "weight"}) {
    json t = testing::load_template_json();
    t["transactions"][2].erase(key);
    EXPECT_EQ(error_of(t), "getblocktemplate: /transactions/2/" + std::string(key) + ": missing");
  }
}

TEST(BlockTemplate, BadFieldsAreNamedWithoutQuotingThem) {
  const json base = testing::load_template_json();
  const std::string long_junk(100000, 'z');
  struct Case {
    const char* pointer;
    json value;
    const char* error;
  };
  const Case cases[] = {
      {"/transactions/3/data", long_junk, "/transactions/3/data: not hex"},
      {"/transactions/3/data", "", "/transactions/3/data: empty"},
      {"/transactions/0/txid", "abcd", "/transactions/0/txid: not 32 bytes"},
      {"/transactions/1/hash", 5, "/transactions/1/hash: not a string"},
      {"/transactions/4/fee", -1, "/transactions/4/fee: outside"},
      {"/transactions/4/weight", 1.5, "/transactions/4/weight: not an integer"},
      {"/transactions/0", "tx", "/transactions/0: not an object"},
      {"/transactions", json::object(), "/transactions: not an array"},
      {"/previousblockhash", long_junk, "/previousblockhash: longer than 32 bytes"},
      {"/version", -1, "/version: outside"},
      {"/version", 4294967296LL, "/version: outside"},
      {"/coinbasevalue", 0, "/coinbasevalue: zero"},
      {"/coinbasevalue", 2100000000000001LL, "/coinbasevalue: outside"},
      {"/coinbasevalue", "5000000000", "/coinbasevalue: not an integer"},
      {"/bits", "207fff", "/bits: not 8 hex digits"},
      {"/bits", "20ffffff", "/bits: not a valid positive target"},
      {"/target", std::string(64, '0'), "/target: zero"},
      {"/target", "7fffff000000000000000000000000000000000000000000000000000000000f",
       "/target: does not match /bits"},
      {"/target", "7fffff", "/target: not 32 bytes"},
      {"/mintime", 1733400601, "/mintime: after /curtime"},
      {"/curtime", "now", "/curtime: not an integer"},
      {"/height", 0, "/height: outside"},
      {"/height", 18446744073709551615ULL, "/height: above"},
      {"/rules", "segwit", "/rules: not an array"},
      {"/rules/1", 3, "/rules/1: not a string"},
      {"/longpollid", long_junk, "/longpollid: longer than"},
      {"/default_witness_commitment", "6a2", "/default_witness_commitment: not hex"},
      {"/vbavailable", json::array(), "/vbavailable: not an object"},
      {"/vbavailable/testdummy", 29, "/vbavailable/testdummy: not a version bit"},
      {"/mutable", json::array({"time", 1}), "/mutable/1: not a string"},
  };
  for (const Case& c : cases) {
    json t = base;
    t[json::json_pointer(c.pointer)] = c.value;
    const std::string e = error_of(t);
    EXPECT_EQ(e.rfind("getblocktemplate: ", 0), 0u) << e;
    EXPECT_NE(e.find(c.error), std::string::npos) << c.pointer << " -> " << e;
    EXPECT_LT(e.size(), 120u) << e;
    EXPECT_EQ(e.find("zzzz"), std::string::npos) << e;
  }
  EXPECT_EQ(error_of(json::array()), "getblocktemplate: /: not an object");
}

}  // namespace
}  // namespace synthminer::node
