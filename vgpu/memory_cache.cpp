#include "vgpu/memory_cache.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <unordered_map>

namespace jarvis {
namespace {

using synthminer::hashcore::Digest;

uint64_t digest_word(const Digest& d, size_t offset) {
  uint64_t v;
  std::memcpy(&v, d.data() + offset, sizeof v);
  return v;
}

struct DigestHash {
  size_t operator()(const Digest& d) const { return static_cast<size_t>(digest_word(d, 0)); }
};

}  // namespace

CacheKey CacheKey::make(std::string_view kind, std::string_view signature,
                        const nlohmann::json& payload) {
  std::string bytes;
  bytes.reserve(kind.size() + signature.size() + 64);
  bytes.append(kind).push_back('\0');
  bytes.append(signature).push_back('\0');
  bytes += payload.dump();
  return from_bytes(std::move(bytes));
}

CacheKey CacheKey::from_bytes(std::string bytes) {
  CacheKey key;
  key.digest = synthminer::hashcore::sha256(
      std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  key.bytes = std::move(bytes);
  return key;
}

uint64_t json_bytes(const nlohmann::json& value) {
  uint64_t total = sizeof(nlohmann::json);
  if (value.is_string()) return total + 32 + value.get_ref<const std::string&>().size();
  if (value.is_array()) {
    total += 24;
    for (const auto& item : value) total += json_bytes(item);
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) total += 64 + k.size() + json_bytes(v);
  }
  return total;
}

nlohmann::json CacheStats::to_json() const {
  return {{"hits", hits},
          {"misses", misses},
          {"hit_ratio", hit_ratio()},
          {"insertions", insertions},
          {"evictions", evictions},
          {"rejected_too_large", rejected},
          {"items", items},
          {"bytes", bytes},
          {"compute_seconds_saved", static_cast<double>(compute_ns_saved) * 1e-9},
          {"flops_saved", flops_saved}};
}

struct InfiniteMemoryCache::Shard {
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedValue> value;
    uint64_t bytes = 0;
    uint8_t freq = 0;
    bool in_main = false;
    bool cost_credit = false;
  };

  // Guards every member below.
  mutable std::mutex mu;
  std::unordered_map<Digest, Entry, DigestHash> map;
  std::deque<Digest> small, main;
  std::unordered_map<uint64_t, uint64_t> ghost;  // fingerprint -> sequence
  std::deque<std::pair<uint64_t, uint64_t>> ghost_fifo;
  uint64_t ghost_seq = 0;
  uint64_t max_items = 0, max_bytes = 0, small_items = 0;
  uint64_t bytes = 0, small_count = 0;
  double cost_per_byte_mean = 0.0;  // running mean over insertions, ns per byte
  CacheStats counts;

  void erase(const Digest& d, Entry& e, bool remember) {
    bytes -= e.bytes;
    if (remember) {
      const uint64_t fp = digest_word(d, 16);
      ghost[fp] = ++ghost_seq;
      ghost_fifo.emplace_back(fp, ghost_seq);
      while (ghost_fifo.size() > max_items) {
        auto [old_fp, seq] = ghost_fifo.front();
        ghost_fifo.pop_front();
        auto it = ghost.find(old_fp);
        if (it != ghost.end() && it->second == seq) ghost.erase(it);
      }
    }
    map.erase(d);
    ++counts.evictions;
  }

  void evict_from_small() {
    Digest d = small.front();
    small.pop_front();
    --small_count;
    auto it = map.find(d);
    if (it == map.end()) return;
    if (it->second.freq >= 1) {
      it->second.freq = 0;
      it->second.in_main = true;
      main.push_back(d);
    } else {
      erase(d, it->second, true);
    }
  }

  void evict_from_main() {
    Digest d = main.front();
    main.pop_front();
    auto it = map.find(d);
    if (it == map.end()) return;
    Entry& e = it->second;
    if (e.freq > 0 || e.cost_credit) {
      if (e.freq > 0)
        --e.freq;
      else
        e.cost_credit = false;
      main.push_back(d);
    } else {
      erase(d, e, false);
    }
  }

  void make_room() {
    while (map.size() > max_items || bytes > max_bytes) {
      if (!small.empty() && (small_count > small_items || main.empty()))
        evict_from_small();
      else if (!main.empty())
        evict_from_main();
      else
        break;
    }
  }
};

InfiniteMemoryCache::InfiniteMemoryCache(CacheOptions options) : options_(options) {
  uint32_t n = 1;
  while (n < std::max<uint32_t>(1, options_.shards)) n <<= 1;
  options_.shards = n;
  for (uint32_t i = 0; i < n; ++i) {
    auto shard = std::make_unique<Shard>();
    shard->max_items = std::max<uint64_t>(1, options_.max_items / n);
    shard->max_bytes = std::max<uint64_t>(1, options_.max_bytes / n);
    shard->small_items = std::max<uint64_t>(
        1, static_cast<uint64_t>(static_cast<double>(shard->max_items) * options_.small_fraction));
    shard->map.reserve(std::min<uint64_t>(shard->max_items, 1u << 20));
    shards_.push_back(std::move(shard));
  }
}

InfiniteMemoryCache::~InfiniteMemoryCache() = default;

InfiniteMemoryCache::Shard& InfiniteMemoryCache::shard_for(const CacheKey& key) const {
  return *shards_[digest_word(key.digest, 8) & (shards_.size() - 1)];
}

std::shared_ptr<const CachedValue> InfiniteMemoryCache::lookup(const CacheKey& key) {
  Shard& s = shard_for(key);
  std::lock_guard lock(s.mu);
  auto it = s.map.find(key.digest);
  if (it == s.map.end() || it->second.key != key.bytes) {
    ++s.counts.misses;
    return nullptr;
  }
  Shard::Entry& e = it->second;
  if (e.freq < 3) ++e.freq;
  ++s.counts.hits;
  s.counts.compute_ns_saved += e.value->compute_ns;
  s.counts.flops_saved += e.value->flops;
  return e.value;
}

bool InfiniteMemoryCache::insert(const CacheKey& key, CachedValue value) {
  if (value.bytes == 0) value.bytes = json_bytes(value.value);
  const uint64_t bytes = key.bytes.size() + value.bytes + kEntryOverhead;
  const double cost_per_byte =
      static_cast<double>(value.compute_ns) / static_cast<double>(std::max<uint64_t>(1, bytes));
  auto stored = std::make_shared<const CachedValue>(std::move(value));
  Shard& s = shard_for(key);
  std::lock_guard lock(s.mu);
  if (bytes > s.max_bytes) {
    ++s.counts.rejected;
    return false;
  }
  auto it = s.map.find(key.digest);
  if (it != s.map.end()) {
    if (it->second.key != key.bytes) {
      // A digest collision: the newer key replaces the older one in place.
      it->second.key = key.bytes;
      it->second.freq = 0;
    }
    s.bytes = s.bytes - it->second.bytes + bytes;
    it->second.bytes = bytes;
    it->second.value = std::move(stored);
    s.make_room();
    return true;
  }
  const uint64_t fp = digest_word(key.digest, 16);
  const bool was_ghost = s.ghost.erase(fp) != 0;
  s.cost_per_byte_mean += (cost_per_byte - s.cost_per_byte_mean) /
                          static_cast<double>(std::min<uint64_t>(++s.counts.insertions, 1024));
  Shard::Entry& e = s.map[key.digest];
  e.key = key.bytes;
  e.value = std::move(stored);
  e.bytes = bytes;
  e.in_main = was_ghost;
  e.cost_credit = cost_per_byte > s.cost_per_byte_mean;
  s.bytes += bytes;
  if (was_ghost) {
    s.main.push_back(key.digest);
  } else {
    s.small.push_back(key.digest);
    ++s.small_count;
  }
  s.make_room();
  return true;
}

CacheStats InfiniteMemoryCache::stats() const {
  CacheStats total;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    const CacheStats& c = shard->counts;
    total.hits += c.hits;
    total.misses += c.misses;
    total.insertions += c.insertions;
    total.evictions += c.evictions;
    total.rejected += c.rejected;
    total.compute_ns_saved += c.compute_ns_saved;
    total.flops_saved += c.flops_saved;
    total.items += shard->map.size();
    total.bytes += shard->bytes;
  }
  return total;
}

void InfiniteMemoryCache::clear() {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    shard->map.clear();
    shard->small.clear();
    shard->main.clear();
    shard->ghost.clear();
    shard->ghost_fifo.clear();
    shard->bytes = 0;
    shard->small_count = 0;
  }
}

}  // namespace jarvis
