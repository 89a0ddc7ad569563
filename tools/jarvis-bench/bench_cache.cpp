#include "tools/jarvis-bench/bench_cache.h"

#include <algorithm>
#include <cmath>
#include <list>
#include <unordered_map>
#include <vector>

#include "hashcore/sha256.h"
#include "tools/jarvis-bench/bench_util.h"
#include "vgpu/cache/digest.h"
#include "vgpu/cache/memory_cache.h"

namespace jarvis::bench {
namespace {

using nlohmann::json;

// Zipf(s) over [0, n): inverse-CDF sampling over a precomputed table.
class Zipf {
 public:
  Zipf(size_t n, double s) : cdf_(n) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) cdf_[i] = total += 1.0 / std::pow(static_cast<double>(i + 1), s);
    for (double& c : cdf_) c /= total;
  }
  size_t operator()(std::mt19937_64& rng) {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    return static_cast<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

// The baseline: a plain LRU of `capacity` keys (list + hash map).
class Lru {
 public:
  explicit Lru(size_t capacity) : capacity_(capacity) {}
  bool access(uint64_t key) {
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return true;
    }
    order_.push_front(key);
    index_[key] = order_.begin();
    if (order_.size() > capacity_) {
      index_.erase(order_.back());
      order_.pop_back();
    }
    return false;
  }

 private:
  size_t capacity_;
  std::list<uint64_t> order_;
  std::unordered_map<uint64_t, std::list<uint64_t>::iterator> index_;
};

CacheKey key_for(size_t i) {
  return CacheKey::make("generic", "bench", json{{"operation", "sum"}, {"id", i}});
}

CachedValue small_value(size_t i) {
  CachedValue v;
  v.text = json{{"value", static_cast<double>(i)}}.dump();
  v.bytes = 64;
  return v;
}

json hit_rate(size_t resident, size_t lookups) {
  CacheOptions options;
  options.max_items = resident + resident / 8;
  options.max_bytes = 1ull << 40;
  InfiniteMemoryCache cache(options);
  std::vector<CacheKey> keys;
  keys.reserve(resident);
  for (size_t i = 0; i < resident; ++i) {
    keys.push_back(key_for(i));
    cache.insert(keys.back(), small_value(i));
  }
  std::mt19937_64 rng(3);
  json out = {{"entries_resident", cache.stats().items},
              {"lookups", lookups},
              {"note",
               "request_order: each request's key is a copy laid out in request order, as a "
               "key just built from a payload is hot; cold_keys: keys read at random from the "
               "million-key table, adding the benchmark's own cache misses"}};
  Zipf zipf(resident, 0.9);
  for (const char* order : {"uniform", "zipf0.9"}) {
    const size_t distinct_requests = std::min<size_t>(lookups, 1'000'000);
    std::vector<uint32_t> idx(distinct_requests);
    for (auto& x : idx) x = static_cast<uint32_t>(order[0] == 'u' ? rng() % resident : zipf(rng));
    std::vector<CacheKey> requests;
    requests.reserve(distinct_requests);
    for (uint32_t i : idx) requests.push_back(keys[i]);
    const size_t passes = std::max<size_t>(1, lookups / distinct_requests);
    size_t found = 0;
    double t0 = wall_now(), c0 = thread_cpu_now();
    for (size_t p = 0; p < passes; ++p)
      for (const CacheKey& k : requests) found += cache.lookup(k) != nullptr;
    const double wall = wall_now() - t0, cpu = thread_cpu_now() - c0;
    size_t cold_found = 0;
    t0 = wall_now();
    c0 = thread_cpu_now();
    for (uint32_t i : idx) cold_found += cache.lookup(keys[i]) != nullptr;
    const double cold_wall = wall_now() - t0, cold_cpu = thread_cpu_now() - c0;
    out[order] = {{"hits", found},
                  {"hits_per_second_wall", static_cast<double>(found) / wall},
                  {"hits_per_second_cpu", static_cast<double>(found) / cpu},
                  {"cold_keys_hits_per_second_wall", static_cast<double>(cold_found) / cold_wall},
                  {"cold_keys_hits_per_second_cpu", static_cast<double>(cold_found) / cold_cpu}};
  }
  return out;
}

json hashing_speed(bool quick, const synthminer::hashcore::Backend* sha) {
  // A representative payload: a 64 x 64 matrix product request.
  std::mt19937_64 rng(5);
  json matrix = json::array();
  for (int r = 0; r < 64; ++r) {
    json row = json::array();
    for (int c = 0; c < 64; ++c) row.push_back(std::normal_distribution<double>()(rng));
    matrix.push_back(row);
  }
  const json payload = {{"operation", "matvec"}, {"matrix", matrix}, {"vector", matrix[0]}};
  const int reps = quick ? 50 : 500;
  size_t bytes = 0;
  double t0 = wall_now();
  for (int i = 0; i < reps; ++i)
    bytes += CacheKey::make("linalg", "bench", payload, sha).bytes.size();
  const double make_seconds = wall_now() - t0;
  t0 = wall_now();
  size_t dumped = 0;
  for (int i = 0; i < reps; ++i) dumped += payload.dump().size();
  const double dump_seconds = wall_now() - t0;
  std::vector<uint8_t> buffer(1 << 20, 0xa5);
  const int sha_reps = quick ? 20 : 200;
  auto speed = [&](const synthminer::hashcore::Backend* backend) {
    const double start = wall_now();
    for (int i = 0; i < sha_reps; ++i) buffer[0] ^= digest_bytes(buffer, backend)[0];
    return static_cast<double>(sha_reps) * static_cast<double>(buffer.size()) /
           (wall_now() - start) * 1e-9;
  };
  json out = {{"key_bytes", bytes / static_cast<size_t>(reps)},
              {"digest_backend", sha ? std::string(sha->name) : std::string("reference")},
              {"key_make_gb_per_second", static_cast<double>(bytes) / make_seconds * 1e-9},
              {"json_dump_gb_per_second", static_cast<double>(dumped) / dump_seconds * 1e-9},
              {"sha256_reference_gb_per_second", speed(nullptr)},
              {"note", "CacheKey::make = payload.dump() (canonical JSON text) + SHA-256 of it"}};
  if (sha) out["sha256_" + std::string(sha->name) + "_gb_per_second"] = speed(sha);
  return out;
}

json zipf_vs_lru(size_t distinct, size_t requests, double capacity_fraction) {
  const auto capacity = static_cast<size_t>(static_cast<double>(distinct) * capacity_fraction);
  CacheOptions options;
  options.max_items = capacity;
  options.max_bytes = 1ull << 40;
  options.shards = 16;
  InfiniteMemoryCache cache(options);
  Lru lru(capacity);
  std::vector<CacheKey> keys;
  keys.reserve(distinct);
  for (size_t i = 0; i < distinct; ++i) keys.push_back(key_for(i));
  Zipf zipf(distinct, 0.9);
  std::mt19937_64 rng(7);
  uint64_t s3_hits = 0, lru_hits = 0;
  for (size_t r = 0; r < requests; ++r) {
    const size_t i = zipf(rng);
    if (cache.lookup(keys[i]))
      ++s3_hits;
    else
      cache.insert(keys[i], small_value(i));
    lru_hits += lru.access(i);
  }
  const double s3 = static_cast<double>(s3_hits) / static_cast<double>(requests);
  const double base = static_cast<double>(lru_hits) / static_cast<double>(requests);
  return {{"distinct_keys", distinct},  {"requests", requests},
          {"capacity_items", capacity}, {"s3fifo_hit_ratio", s3},
          {"lru_hit_ratio", base},      {"points_above_lru", 100.0 * (s3 - base)}};
}

}  // namespace

json run_cache_bench(bool quick, const synthminer::hashcore::Backend* sha) {
  json out;
  out["hits_one_core"] = hit_rate(quick ? 50'000 : 1'000'000, quick ? 200'000 : 5'000'000);
  out["payload_hashing"] = hashing_speed(quick, sha);
  const size_t distinct = quick ? 20'000 : 1'000'000;
  const size_t requests = quick ? 200'000 : 5'000'000;
  out["zipf_vs_lru"] = json::array();
  for (double fraction : {0.01, 0.1})
    out["zipf_vs_lru"].push_back(zipf_vs_lru(distinct, requests, fraction));
  return out;
}

}  // namespace jarvis::bench
