// InfiniteMemoryCache: hits and misses, both bounds, collisions confirmed
// against the full key (digest and table-tag collisions), table growth and
// erasure within probe runs, eviction that keeps frequent entries, entries
// outliving the cache, the node arena, and threads.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <thread>

#include "vgpu/cache/cache_arena.h"
#include "vgpu/cache/canonical_json.h"
#include "vgpu/cache/memory_cache.h"

namespace jarvis {
namespace {

using nlohmann::json;

CacheKey key_of(int i) {
  return CacheKey::make("generic", "sig", json{{"i", i}});
}

CachedValue value_of(int i, uint64_t bytes = 0) {
  CachedValue v;
  v.text = json{{"value", i}}.dump();
  v.compute_ns = 1000;
  v.flops = 10;
  v.bytes = bytes;
  return v;
}

TEST(MemoryCache, KeyIsCanonicalOverObjectKeyOrder) {
  CacheKey a = CacheKey::make("linalg", "s", json::parse(R"({"a":1,"b":[1,2]})"));
  CacheKey b = CacheKey::make("linalg", "s", json::parse(R"({"b":[1,2],"a":1})"));
  CacheKey c = CacheKey::make("linalg", "t", json::parse(R"({"a":1,"b":[1,2]})"));
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_NE(a.digest, c.digest);
}

TEST(MemoryCache, KeyIsCanonicalOverHowANumberIsWritten) {
  const auto key = [](const char* payload) {
    return CacheKey::make("linalg", "s", json::parse(payload));
  };
  // 1, 1.0 and 1e0 are one number; so are 2.5 and 25e-1, 0 and 0.0.
  EXPECT_EQ(key(R"({"m":[1,2.5,0],"n":3})").bytes, key(R"({"n":3.0,"m":[1.0,25e-1,0.0]})").bytes);
  EXPECT_EQ(key(R"({"m":[1]})").digest, key(R"({"m":[1e0]})").digest);
  // Different values stay different: the sign of zero, a bit of a double,
  // integers beyond 2^53 that a double would round together.
  EXPECT_NE(key(R"({"m":[0]})").bytes, key(R"({"m":[-0.0]})").bytes);
  EXPECT_NE(key(R"({"m":[0.1]})").bytes, key(R"({"m":[0.10000000000000002]})").bytes);
  EXPECT_NE(key(R"({"seed":9007199254740993})").bytes, key(R"({"seed":9007199254740992})").bytes);
  EXPECT_NE(key(R"({"m":["1"]})").bytes, key(R"({"m":[1]})").bytes);
  EXPECT_EQ(canonical_json(json::parse(R"({"b":[true,null,"x"],"a":-3.0,"c":1.5e300})")),
            R"({"a":-3,"b":[true,null,"x"],"c":1.5e+300})");
  EXPECT_EQ(canonical_json(json::parse("18446744073709551615")), "18446744073709551615");
  EXPECT_EQ(canonical_json(json::parse("1.8446744073709550e19")), "18446744073709549568");
}

// Every random document keeps its canonical text when its whole numbers are
// rewritten as floats, and two random documents that differ get two texts.
TEST(MemoryCache, CanonicalTextOfRandomDocuments) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> whole(-1'000'000, 1'000'000);
  std::uniform_real_distribution<double> real(-1e6, 1e6);
  for (int round = 0; round < 200; ++round) {
    json ints = json::array();
    json floats = json::array();
    for (int i = 0; i < 20; ++i) {
      const int64_t w = whole(rng);
      ints.push_back(w);
      floats.push_back(static_cast<double>(w));
      const double r = real(rng);
      ints.push_back(r);
      floats.push_back(r);
    }
    EXPECT_EQ(canonical_json(ints), canonical_json(floats));
    EXPECT_EQ(json::parse(canonical_json(floats)), floats);  // reads back as the same numbers
    json other = floats;
    other[static_cast<size_t>(round % 40)] = std::nextafter(floats[round % 40].get<double>(), 1e9);
    EXPECT_NE(canonical_json(other), canonical_json(floats));
  }
}

TEST(MemoryCache, MissThenHitCountsAndSavings) {
  InfiniteMemoryCache cache;
  EXPECT_EQ(cache.lookup(key_of(1)), nullptr);
  ASSERT_TRUE(cache.insert(key_of(1), value_of(1)));
  auto hit = cache.lookup(key_of(1));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(json::parse(hit->text)["value"], 1);
  EXPECT_EQ(cache.lookup(key_of(2)), nullptr);
  CacheStats s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.items, 1u);
  EXPECT_EQ(s.compute_ns_saved, 1000u);
  EXPECT_EQ(s.flops_saved, 10u);
}

TEST(MemoryCache, DigestCollisionIsNeverAHit) {
  InfiniteMemoryCache cache;
  CacheKey a = key_of(1);
  CacheKey forged = key_of(2);
  forged.digest = a.digest;  // same digest, other bytes
  ASSERT_TRUE(cache.insert(a, value_of(1)));
  EXPECT_EQ(cache.lookup(forged), nullptr);
  EXPECT_NE(cache.lookup(a), nullptr);
}

TEST(MemoryCache, ItemBoundHoldsAndEvicts) {
  CacheOptions options;
  options.max_items = 64;
  options.shards = 4;
  InfiniteMemoryCache cache(options);
  for (int i = 0; i < 1000; ++i) cache.insert(key_of(i), value_of(i));
  CacheStats s = cache.stats();
  EXPECT_LE(s.items, 64u);
  EXPECT_EQ(s.evictions, 1000u - s.items);
}

TEST(MemoryCache, ByteBoundHoldsAndHugeEntriesAreRefused) {
  CacheOptions options;
  options.max_bytes = 64 * 1024;
  options.shards = 2;
  InfiniteMemoryCache cache(options);
  for (int i = 0; i < 2000; ++i) {
    cache.insert(key_of(i), value_of(i, 500));
    ASSERT_LE(cache.stats().bytes, options.max_bytes);
  }
  EXPECT_GT(cache.stats().items, 10u);
  EXPECT_FALSE(cache.insert(key_of(-1), value_of(-1, 40 * 1024)));
  EXPECT_EQ(cache.stats().rejected, 1u);
  EXPECT_EQ(cache.lookup(key_of(-1)), nullptr);
}

TEST(MemoryCache, FrequentEntriesSurviveAScan) {
  CacheOptions options;
  options.max_items = 200;
  options.shards = 1;
  InfiniteMemoryCache cache(options);
  for (int i = 0; i < 50; ++i) cache.insert(key_of(i), value_of(i));
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 50; ++i) ASSERT_NE(cache.lookup(key_of(i)), nullptr);
  // A long scan of one-hit keys: S3-FIFO drops them from the small queue.
  for (int i = 1000; i < 5000; ++i) cache.insert(key_of(i), value_of(i));
  int kept = 0;
  for (int i = 0; i < 50; ++i) kept += cache.lookup(key_of(i)) != nullptr;
  EXPECT_EQ(kept, 50);
}

// Keys whose digests agree in the table tag (word 0) and the shard bits
// (word 1) but differ in word 2: one probe run, told apart by digest and key.
CacheKey same_tag_key(int i) {
  CacheKey k = key_of(i);
  std::memset(k.digest.data(), 0x5a, 16);
  return k;
}

TEST(MemoryCache, TableTagCollisionsAreToldApart) {
  CacheOptions options;
  options.shards = 1;
  InfiniteMemoryCache cache(options);
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(cache.insert(same_tag_key(i), value_of(i)));
  for (int i = 0; i < 300; ++i) {
    auto hit = cache.lookup(same_tag_key(i));
    ASSERT_NE(hit, nullptr) << i;
    EXPECT_EQ(json::parse(hit->text)["value"], i);
  }
  // Same digest as entry 7, other bytes: never a hit.
  CacheKey forged = key_of(100000);
  forged.digest = same_tag_key(7).digest;
  EXPECT_EQ(cache.lookup(forged), nullptr);
  EXPECT_EQ(cache.stats().items, 300u);
}

TEST(MemoryCache, EvictionInsideOneProbeRunKeepsTheRestFindable) {
  CacheOptions options;
  options.shards = 1;
  options.max_items = 40;
  InfiniteMemoryCache cache(options);
  for (int i = 0; i < 400; ++i) {
    // Half the keys share one probe run; evictions shift it back.
    ASSERT_TRUE(cache.insert(i % 2 ? same_tag_key(i) : key_of(i), value_of(i)));
    ASSERT_LE(cache.stats().items, 40u);
  }
  CacheStats s = cache.stats();
  int found = 0;
  for (int i = 0; i < 400; ++i) {
    if (auto hit = cache.lookup(i % 2 ? same_tag_key(i) : key_of(i))) {
      EXPECT_EQ(json::parse(hit->text)["value"], i);
      ++found;
    }
  }
  EXPECT_EQ(static_cast<uint64_t>(found), s.items);
  EXPECT_EQ(s.evictions, 400u - s.items);
}

TEST(MemoryCache, TableGrowsPastHugePageSize) {
  CacheOptions options;
  options.shards = 1;
  options.max_items = 200'000;  // 2^18 slots of 16 bytes: a 4 MiB table
  options.max_bytes = 1ull << 36;
  InfiniteMemoryCache cache(options);
  for (int i = 0; i < 150'000; ++i) ASSERT_TRUE(cache.insert(key_of(i), value_of(i)));
  EXPECT_EQ(cache.stats().items, 150'000u);
  for (int i = 0; i < 150'000; i += 997) {
    auto hit = cache.lookup(key_of(i));
    ASSERT_NE(hit, nullptr) << i;
    EXPECT_EQ(json::parse(hit->text)["value"], i);
  }
  EXPECT_EQ(cache.lookup(key_of(150'000)), nullptr);
  cache.clear();
  EXPECT_EQ(cache.stats().items, 0u);
  EXPECT_EQ(cache.lookup(key_of(5)), nullptr);
  ASSERT_TRUE(cache.insert(key_of(5), value_of(5)));
  EXPECT_NE(cache.lookup(key_of(5)), nullptr);
}

TEST(MemoryCache, LongKeysAndReplacement) {
  InfiniteMemoryCache cache;
  // Past NodeArena::kMaxBlock: the entry comes from operator new.
  CacheKey big = CacheKey::make("generic", "sig", json{{"blob", std::string(10000, 'x')}});
  ASSERT_TRUE(cache.insert(big, value_of(1)));
  ASSERT_TRUE(cache.insert(big, value_of(2)));
  auto hit = cache.lookup(big);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(json::parse(hit->text)["value"], 2);
  EXPECT_EQ(cache.stats().items, 1u);
}

TEST(MemoryCache, EntriesOutliveReplacementEvictionAndTheCache) {
  CacheRef replaced, evicted, kept;
  {
    CacheOptions options;
    options.max_items = 4;
    options.shards = 1;
    InfiniteMemoryCache cache(options);
    cache.insert(key_of(0), value_of(0));
    replaced = cache.lookup(key_of(0));
    cache.insert(key_of(0), value_of(100));
    cache.insert(key_of(1), value_of(1));
    evicted = cache.lookup(key_of(1));
    cache.clear();
    EXPECT_EQ(cache.lookup(key_of(1)), nullptr);
    cache.insert(key_of(2), value_of(2));
    kept = cache.lookup(key_of(2));
  }
  ASSERT_NE(replaced, nullptr);
  ASSERT_NE(evicted, nullptr);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(json::parse(replaced->text)["value"], 0);
  EXPECT_EQ(json::parse(evicted->text)["value"], 1);
  EXPECT_EQ(json::parse(kept->text)["value"], 2);
}

TEST(NodeArena, BlocksAreAlignedDistinctAndReused) {
  NodeArena* arena = NodeArena::create();
  std::set<uintptr_t> seen;
  std::vector<std::pair<void*, size_t>> blocks;
  for (size_t i = 0; i < 5000; ++i) {
    const size_t bytes = 1 + (i * 37) % NodeArena::kMaxBlock;
    void* p = arena->allocate(bytes);
    ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % NodeArena::kBlockAlign, 0u);
    ASSERT_TRUE(seen.insert(reinterpret_cast<uintptr_t>(p)).second);
    std::memset(p, 0xab, bytes);  // the whole block is writable
    blocks.emplace_back(p, bytes);
  }
  const size_t reserved = arena->reserved_bytes();
  for (auto [p, bytes] : blocks) arena->deallocate(p, bytes);
  for (auto [p, bytes] : blocks) {
    void* q = arena->allocate(bytes);  // from the free lists: no new chunk
    EXPECT_TRUE(seen.count(reinterpret_cast<uintptr_t>(q)));
  }
  EXPECT_EQ(arena->reserved_bytes(), reserved);
  arena->release_owner();                                      // the blocks keep it alive
  for (auto [p, bytes] : blocks) arena->deallocate(p, bytes);  // the last frees it
}

TEST(MemoryCache, ConcurrentUseIsSafe) {
  CacheOptions options;
  options.max_items = 500;
  InfiniteMemoryCache cache(options);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int n = 0; n < 20000; ++n) {
        int i = static_cast<int>(rng() % 2000);
        if (auto v = cache.lookup(key_of(i))) {
          if (json::parse(v->text)["value"] != i) ++wrong;
        } else {
          cache.insert(key_of(i), value_of(i));
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  CacheStats s = cache.stats();
  EXPECT_EQ(s.hits + s.misses, 80000u);
  EXPECT_LE(s.items, 500u);
}

}  // namespace
}  // namespace jarvis
