// InfiniteMemoryCache: content-addressed memoisation of workload results.
//
// Design. A key is the bytes kind \0 signature \0 payload.dump() (nlohmann
// sorts object keys, so equal payloads give equal bytes) and its SHA-256
// digest. The cache is split into shards (a power of two) chosen by digest
// bits; each shard is guarded by its own mutex, so threads working on
// different keys rarely meet. Each entry is one block (a node: a 64-byte
// header with an intrusive reference count, then the full key bytes, then
// the value) from the cache's NodeArena (cache_arena.h: 64-byte aligned, on
// huge pages); a shard finds nodes through an open-addressing table of
// (64-bit digest tag, node pointer) slots with linear probing, and a hit
// compares the full digest and the full stored key, so a digest collision
// can never return another request's result. A hit reads one slot and the
// node's header and key (two adjacent lines for keys up to 64 bytes); with
// huge pages neither usually costs a TLB miss. A lookup returns a CacheRef
// that keeps the node alive after eviction (and after the cache), so readers
// never see a value change.
//
// Eviction is S3-FIFO (Yang et al., SOSP 2023) per shard: new entries enter a
// small FIFO (10% of the items); a hit only bumps a 2-bit frequency. An entry
// leaving the small queue moves to the main FIFO if it was hit, else it is
// dropped and its fingerprint kept in a ghost FIFO; an entry whose
// fingerprint is in the ghost goes straight to main. An entry leaving main
// with frequency > 0 is re-queued with frequency - 1. Recompute cost is
// weighed: an entry whose compute time per byte is above the shard's running
// mean gets one extra pass through main before it may be evicted.
// Both bounds (items and bytes, split evenly over shards) hold after every
// insert; an entry larger than a shard's byte budget is not admitted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hashcore/backend.h"
#include "hashcore/sha256.h"

namespace jarvis {

struct CacheOptions {
  uint64_t max_items = 100'000;
  uint64_t max_bytes = 256ull << 20;  ///< keys + values + per-entry overhead, bytes
  uint32_t shards = 16;               ///< rounded up to a power of two
  double small_fraction = 0.10;       ///< share of each shard's items in the small FIFO
};

/// The cache key: the full bytes and their SHA-256.
struct CacheKey {
  synthminer::hashcore::Digest digest{};
  std::string bytes;

  /// kResultFormat \0 kind \0 signature \0 canonical_json(payload): 1 and
  /// 1.0 agree, and so do reordered keys (canonical_json.h).
  /// `sha` is an optional one-lane SHA-NI backend for the digest (see digest.h).
  /// Changes whenever a workload's result gains or changes a field, so that
  /// a persistent cache written by an older build is never served to a newer
  /// one (its entries age out of the file). 2: quantum clbit_counts.
  static constexpr std::string_view kResultFormat = "results-2";
  static CacheKey make(std::string_view kind, std::string_view signature,
                       const nlohmann::json& payload,
                       const synthminer::hashcore::Backend* sha = nullptr);
  static CacheKey from_bytes(std::string bytes, const synthminer::hashcore::Backend* sha = nullptr);
};

/// What the cache stores: a result, serialised (so a hit is a copy of bytes,
/// not of a JSON tree), what it cost, and its size.
struct CachedValue {
  std::string text;       ///< the result object as JSON text
  std::string tensor_id;  ///< the output tensor the result names; "" for none
  /// A small result (text up to kMaxTreeTextBytes) kept as a JSON tree too,
  /// so that a C++ caller asking for a tree copies it instead of parsing.
  std::shared_ptr<const nlohmann::json> tree;
  static constexpr size_t kMaxTreeTextBytes = 1024;
  uint64_t compute_ns = 0;  ///< wall time it took to compute, nanoseconds
  uint64_t flops = 0;       ///< FLOPs a hit avoids
  uint64_t bytes = 0;       ///< memory of the value; 0: measured on insert
};

struct CacheNode;
class NodeArena;

/// A counted reference to a cached value (null for a miss). Copying it is
/// thread-safe; the value stays valid while any CacheRef to it exists.
class CacheRef {
 public:
  CacheRef() = default;
  explicit CacheRef(CacheNode* node);  ///< adopts one reference
  CacheRef(const CacheRef& other);
  CacheRef(CacheRef&& other) noexcept : node_(other.node_) { other.node_ = nullptr; }
  CacheRef& operator=(CacheRef other) noexcept {
    std::swap(node_, other.node_);
    return *this;
  }
  ~CacheRef();

  explicit operator bool() const { return node_ != nullptr; }
  const CachedValue& operator*() const;
  const CachedValue* operator->() const { return &**this; }
  friend bool operator==(const CacheRef& r, std::nullptr_t) { return r.node_ == nullptr; }

 private:
  CacheNode* node_ = nullptr;
};

struct CacheStats {
  uint64_t hits = 0, misses = 0, insertions = 0, evictions = 0, rejected = 0;
  uint64_t items = 0, bytes = 0;
  uint64_t compute_ns_saved = 0;  ///< sum of compute_ns over hits
  uint64_t flops_saved = 0;       ///< sum of flops over hits
  double hit_ratio() const {
    return hits + misses ? static_cast<double>(hits) / static_cast<double>(hits + misses) : 0.0;
  }
  nlohmann::json to_json() const;
};

class InfiniteMemoryCache {
 public:
  explicit InfiniteMemoryCache(CacheOptions options = {});
  ~InfiniteMemoryCache();
  InfiniteMemoryCache(const InfiniteMemoryCache&) = delete;
  InfiniteMemoryCache& operator=(const InfiniteMemoryCache&) = delete;

  /// The stored value for `key`, or null (a miss; counted unless
  /// `count_miss` is false, for a look before the counted one). Thread-safe.
  CacheRef lookup(const CacheKey& key, bool count_miss = true);
  /// Stores `value` under `key` (replacing an older value), evicting as needed.
  /// Returns false when the entry alone exceeds a shard's byte budget.
  bool insert(const CacheKey& key, CachedValue value);
  /// Totals over all shards (each shard read under its lock).
  CacheStats stats() const;
  void clear();
  const CacheOptions& options() const { return options_; }

  /// Bytes charged per entry on top of key and value (node, table slots, queue slot).
  static constexpr uint64_t kEntryOverhead = 160;

 private:
  struct Shard;
  Shard& shard_for(const CacheKey& key) const;

  CacheOptions options_;
  NodeArena* arena_ = nullptr;  // entries' memory; this cache holds the owner's reference
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace jarvis
