// InfiniteMemoryCache: hits and misses, both bounds, collisions confirmed
// against the full key, eviction that keeps frequent entries, and threads.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "vgpu/memory_cache.h"

namespace jarvis {
namespace {

using nlohmann::json;

CacheKey key_of(int i) {
  return CacheKey::make("generic", "sig", json{{"i", i}});
}

CachedValue value_of(int i, uint64_t bytes = 0) {
  CachedValue v;
  v.value = json{{"value", i}};
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

TEST(MemoryCache, MissThenHitCountsAndSavings) {
  InfiniteMemoryCache cache;
  EXPECT_EQ(cache.lookup(key_of(1)), nullptr);
  ASSERT_TRUE(cache.insert(key_of(1), value_of(1)));
  auto hit = cache.lookup(key_of(1));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->value["value"], 1);
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
          if (v->value["value"] != i) ++wrong;
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
