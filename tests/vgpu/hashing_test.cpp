// hashing workload: known SHA-256 vectors, the genesis block found by a scan
// through the dispatch table's backend, and refusals.
#include <gtest/gtest.h>

#include "hashcore/selftest.h"
#include "vgpu/hashing_ops.h"

namespace jarvis {
namespace {

using nlohmann::json;
namespace hc = synthminer::hashcore;

const hc::Backend& best_backend() {
  static const hc::Dispatch dispatch = [] {
    std::string error;
    return *hc::Dispatch::create(std::nullopt, error);
  }();
  return dispatch.chosen();
}

OpResult run(const json& payload) {
  return run_hashing(payload, PayloadLimits{}, best_backend());
}

// Bitcoin's genesis block header (nonce 2083236893).
constexpr const char* kGenesisHeader =
    "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c"
    "3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";

TEST(Hashing, Sha256KnownAnswers) {
  OpResult r = run({{"operation", "sha256"}, {"data", "abc"}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["value"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  OpResult h = run({{"operation", "sha256"}, {"data_hex", "616263"}});
  EXPECT_EQ(h.result["value"], r.result["value"]);
  OpResult d = run({{"operation", "sha256d"}, {"data_hex", kGenesisHeader}});
  ASSERT_TRUE(d.ok) << d.error;
  // The genesis hash, digest bytes in order (Bitcoin displays them reversed).
  EXPECT_EQ(d.result["value"], "6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000");
}

TEST(Hashing, ShaNiPathGivesTheReferenceDigest) {
  static const hc::Dispatch dispatch = [] {
    std::string error;
    return *hc::Dispatch::create(std::nullopt, error);
  }();
  const hc::Backend* shani = dispatch.usable("shani");
  if (!shani) GTEST_SKIP() << "no usable SHA-NI on this CPU";
  std::string data;
  for (int i = 0; i < 5000; ++i) data.push_back(static_cast<char>('a' + i % 26));
  for (const char* op : {"sha256", "sha256d"}) {
    for (size_t len : {0u, 55u, 64u, 300u, 5000u}) {
      json p = {{"operation", op}, {"data", data.substr(0, len)}};
      OpResult fast = run_hashing(p, PayloadLimits{}, best_backend(), shani);
      OpResult ref = run(p);
      ASSERT_TRUE(fast.ok && ref.ok);
      EXPECT_EQ(fast.result, ref.result) << op << " " << len;
    }
  }
}

TEST(Hashing, ScanFindsTheGenesisNonce) {
  OpResult r =
      run({{"operation", "scan"},
           {"header_hex", kGenesisHeader},
           {"nonce_start", 2083236893u - 1000u},
           {"nonce_count", 2000},
           {"target_hex", "00000000ffff0000000000000000000000000000000000000000000000000000"}});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.result["hashes"], 2000);
  EXPECT_EQ(r.result["nonces"], json::array({2083236893u}));
  EXPECT_EQ(r.result["hashes_hex"][0],
            "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  EXPECT_EQ(r.hashes, 2000u);
}

TEST(Hashing, BadPayloadsAreRefusedWithAReason) {
  auto refused = [](const json& p, const std::string& fragment, PayloadLimits limits = {}) {
    OpResult r = run_hashing(p, limits, best_backend());
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find(fragment), std::string::npos) << r.error;
  };
  refused({{"operation", "sha256"}}, "data: give exactly one");
  refused({{"operation", "sha256"}, {"data_hex", "abc"}}, "data_hex: odd number");
  refused({{"operation", "sha256"}, {"data_hex", "zz"}}, "data_hex: non-hex digit at offset 0");
  refused({{"operation", "scan"}, {"header_hex", "00"}}, "header_hex: expected 160 hex digits");
  std::string target(64, 'f');
  refused({{"operation", "scan"}, {"header_hex", kGenesisHeader}, {"target_hex", target}},
          "nonce_count: missing");
  refused({{"operation", "scan"},
           {"header_hex", kGenesisHeader},
           {"target_hex", target},
           {"nonce_start", 4294967295u},
           {"nonce_count", 2}},
          "passes the last nonce");
  refused({{"operation", "scan"},
           {"header_hex", kGenesisHeader},
           {"target_hex", target},
           {"nonce_count", 5000}},
          "over the limit of 4096 results");
  PayloadLimits small;
  small.max_hash_bytes = 2;
  refused({{"operation", "sha256"}, {"data", "abc"}}, "exceed the limit of 2", small);
  refused({{"operation", "md5"}}, "operation: unknown hashing operation");
}

}  // namespace
}  // namespace jarvis
