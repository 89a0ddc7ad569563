// DiskCache, the persistent tier: entries survive a reopen, the byte bound
// holds with the least recently used going first, a digest collision is
// never a hit, a value changed on disk is dropped and counted, and a file
// that is not ours (garbage, another program's database) is set aside with
// the reason while a fresh file takes its place.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "vgpu/cache/disk_cache.h"
#include "vgpu/jarvis.h"

namespace jarvis {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class DiskCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/disk_cache_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "vgpu-cache.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  DiskCacheOptions options(uint64_t max_bytes = 1 << 20) const {
    DiskCacheOptions o;
    o.path = path_;
    o.max_bytes = max_bytes;
    return o;
  }
  // Files in the folder whose name starts with the cache file's and has ".corrupt-".
  std::vector<std::string> set_aside_files() const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (name.find("vgpu-cache.sqlite.corrupt-") == 0 && name.find("-wal") == std::string::npos &&
          name.find("-shm") == std::string::npos)
        found.push_back(name);
    }
    return found;
  }
  // Runs one SQL statement on the file behind the cache's back.
  void tamper(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  fs::path dir_;
  std::string path_;
};

CacheKey key_of(int i) {
  return CacheKey::make("linalg", "sig", json{{"i", i}});
}

CachedValue value_of(int i, size_t padding = 0) {
  CachedValue v;
  v.text = json{{"value", {i, i + 0.5}}, {"pad", std::string(padding, 'x')}}.dump();
  v.compute_ns = 1000 + static_cast<uint64_t>(i);
  v.flops = 10 * static_cast<uint64_t>(i);
  return v;
}

TEST_F(DiskCacheTest, NoPathMeansNoTier) {
  DiskCache cache(DiskCacheOptions{});
  EXPECT_FALSE(cache.enabled());
  EXPECT_TRUE(cache.error().empty());
  EXPECT_FALSE(cache.insert(key_of(1), value_of(1)));
  EXPECT_FALSE(cache.lookup(key_of(1)));
}

TEST_F(DiskCacheTest, EntriesSurviveAReopenWithTheirCost) {
  {
    DiskCache cache(options());
    ASSERT_TRUE(cache.enabled()) << cache.error();
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(cache.insert(key_of(i), value_of(i)));
    EXPECT_EQ(cache.stats().items, 20u);
  }
  DiskCache again(options());
  ASSERT_TRUE(again.enabled()) << again.error();
  EXPECT_EQ(again.stats().items, 20u);
  for (int i = 0; i < 20; ++i) {
    const auto hit = again.lookup(key_of(i));
    ASSERT_TRUE(hit) << i;
    EXPECT_EQ(hit->text, value_of(i).text);
    EXPECT_EQ(hit->compute_ns, value_of(i).compute_ns);
    EXPECT_EQ(hit->flops, value_of(i).flops);
  }
  EXPECT_FALSE(again.lookup(key_of(99)));
  EXPECT_EQ(again.stats().hits, 20u);
  EXPECT_EQ(again.stats().misses, 1u);
  EXPECT_TRUE(set_aside_files().empty());
}

TEST_F(DiskCacheTest, ReplacingAnEntryKeepsOneCopyAndItsBytes) {
  DiskCache cache(options());
  ASSERT_TRUE(cache.insert(key_of(1), value_of(1, 100)));
  const uint64_t bytes_small = cache.stats().bytes;
  ASSERT_TRUE(cache.insert(key_of(1), value_of(2, 300)));
  EXPECT_EQ(cache.stats().items, 1u);
  EXPECT_EQ(cache.stats().bytes, bytes_small + 200);
  EXPECT_EQ(cache.lookup(key_of(1))->text, value_of(2, 300).text);
}

TEST_F(DiskCacheTest, TheByteBoundHoldsAndTheLeastRecentlyUsedGoFirst) {
  constexpr uint64_t kBound = 16 * 1024;
  DiskCache cache(options(kBound));
  std::mt19937 rng(7);
  // Entry 0 is used after every insert, so it must outlive the rest.
  ASSERT_TRUE(cache.insert(key_of(0), value_of(0, 500)));
  for (int i = 1; i < 200; ++i) {
    ASSERT_TRUE(cache.insert(key_of(i), value_of(i, 200 + rng() % 800)));
    EXPECT_LE(cache.stats().bytes, kBound) << i;
    ASSERT_TRUE(cache.lookup(key_of(0))) << "the entry in use was evicted at " << i;
  }
  const auto stats = cache.stats();
  EXPECT_GT(stats.evictions, 0u);
  EXPECT_LT(stats.items, 200u);
  // The newest entry is there, the oldest unused ones are gone.
  EXPECT_TRUE(cache.lookup(key_of(199)));
  EXPECT_FALSE(cache.lookup(key_of(1)));
  // Larger than the bound: not admitted, nothing evicted for it.
  const uint64_t evictions = cache.stats().evictions;
  EXPECT_FALSE(cache.insert(key_of(500), value_of(500, kBound)));
  EXPECT_EQ(cache.stats().evictions, evictions);
}

TEST_F(DiskCacheTest, ADigestCollisionIsNeverAHit) {
  DiskCache cache(options());
  const CacheKey real = key_of(1);
  ASSERT_TRUE(cache.insert(real, value_of(1)));
  CacheKey forged = key_of(2);
  forged.digest = real.digest;  // same digest, other bytes
  EXPECT_FALSE(cache.lookup(forged));
  EXPECT_TRUE(cache.lookup(real));
}

TEST_F(DiskCacheTest, AValueChangedOnDiskIsDroppedAndCounted) {
  {
    DiskCache cache(options());
    ASSERT_TRUE(cache.insert(key_of(1), value_of(1)));
    ASSERT_TRUE(cache.insert(key_of(2), value_of(2)));
  }
  // Still valid JSON, a different answer: only the checksum can tell.
  tamper("UPDATE entries SET value = replace(value, '1.5', '2.5')");
  DiskCache cache(options());
  ASSERT_TRUE(cache.enabled()) << cache.error();
  EXPECT_FALSE(cache.lookup(key_of(1)));
  EXPECT_EQ(cache.stats().corrupt, 1u);
  EXPECT_EQ(cache.stats().items, 1u);  // dropped, not kept
  EXPECT_EQ(cache.lookup(key_of(2))->text, value_of(2).text);
}

TEST_F(DiskCacheTest, GarbageIsSetAsideWithTheReasonAndAFreshFileWorks) {
  {
    std::ofstream out(path_, std::ios::binary);
    std::mt19937 rng(3);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(rng()));
  }
  DiskCache cache(options());
  ASSERT_TRUE(cache.enabled()) << cache.error();
  const auto stats = cache.stats();
  EXPECT_NE(stats.set_aside.find(".corrupt-"), std::string::npos) << stats.set_aside;
  EXPECT_NE(stats.set_aside.find("not a usable SQLite file"), std::string::npos) << stats.set_aside;
  EXPECT_EQ(set_aside_files().size(), 1u);
  EXPECT_EQ(fs::file_size(dir_ / set_aside_files()[0]), 8192u);  // kept whole, for a look
  ASSERT_TRUE(cache.insert(key_of(1), value_of(1)));
  EXPECT_TRUE(cache.lookup(key_of(1)));
}

TEST_F(DiskCacheTest, AnotherProgramsDatabaseIsNotOurs) {
  tamper("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')");
  DiskCache cache(options());
  ASSERT_TRUE(cache.enabled()) << cache.error();
  EXPECT_NE(cache.stats().set_aside.find("not a synthminer vgpu cache"), std::string::npos)
      << cache.stats().set_aside;
  EXPECT_EQ(set_aside_files().size(), 1u);
}

TEST_F(DiskCacheTest, AFolderThatDoesNotExistTurnsTheTierOffWithTheReason) {
  DiskCacheOptions o = options();
  o.path = (dir_ / "missing" / "cache.sqlite").string();
  DiskCache cache(o);
  EXPECT_FALSE(cache.enabled());
  EXPECT_NE(cache.error().find("cannot open"), std::string::npos) << cache.error();
  EXPECT_NE(cache.error().find(o.path), std::string::npos) << cache.error();
  EXPECT_FALSE(cache.insert(key_of(1), value_of(1)));
}

// Through the layers: a result computed by one Jarvis is a cache hit for the
// next one on the same file (a restart), with the same value and the FLOPs it
// avoided; an error is never written.
TEST_F(DiskCacheTest, AResultSurvivesARestartOfTheLayers) {
  JarvisConfig config;
  config.disk_cache = options();
  const json payload = {
      {"operation", "matmul"}, {"matrix", {{1.0, 2.0}, {3.0, 4.0}}}, {"vector", {5.0, 6.0}}};
  json first_value;
  {
    Jarvis5090X jarvis({AdapterCluster::host_cpu()}, config);
    ASSERT_NE(jarvis.disk_cache(), nullptr);
    const auto first = jarvis.submit("linalg", "restart", payload);
    ASSERT_TRUE(first.ok) << first.error;
    EXPECT_FALSE(first.cached);
    first_value = first.result;
    EXPECT_FALSE(jarvis.submit("linalg", "restart", json{{"operation", "nope"}}).ok);
    EXPECT_EQ(jarvis.disk_cache()->stats().items, 1u);  // the error was not written
  }
  Jarvis5090X restarted({AdapterCluster::host_cpu()}, config);
  const auto again = restarted.submit("linalg", "restart", payload);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.result, first_value);
  EXPECT_EQ(again.flops_avoided, 8u);  // 2 * 2 * 2 for the 2x2 matvec
  EXPECT_EQ(restarted.disk_cache()->stats().hits, 1u);
  // Now in memory too: the next hit does not read the disk.
  EXPECT_TRUE(restarted.submit("linalg", "restart", payload).cached);
  EXPECT_EQ(restarted.disk_cache()->stats().hits, 1u);
}

}  // namespace
}  // namespace jarvis
