// DiskCache: the optional persistent tier behind InfiniteMemoryCache, one
// SQLite file (e.g. /var/cache/synthminer/vgpu-cache.sqlite), so results
// survive a restart.
//
// Design. One table of entries keyed by the cache digest, holding the full
// key bytes (a hit compares them, as the memory cache does), the result as
// serialised JSON text, what it cost, a SHA-256 of key and value written with
// them, and a use sequence for eviction. Every read checks that SHA-256: a
// value changed on disk is dropped and counted, never returned. At open the
// file must be ours (SQLite's application_id and our schema version) and
// pass `PRAGMA quick_check`; otherwise it is renamed aside
// (`<file>.corrupt-<unix time>`) with a log line and a fresh file is made.
// An error while running (disk full, I/O error) turns the tier off with one
// log line; the memory cache goes on alone.
//
// The bound: the summed bytes of keys and values stay under max_bytes after
// every insert; the least recently used entries go first (a hit renews an
// entry). One connection, guarded by a mutex: the workers that use it run
// whole requests, so a disk lookup (tens of microseconds) is small beside
// the miss it saves.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "vgpu/cache/memory_cache.h"

struct sqlite3;

namespace jarvis {

struct DiskCacheOptions {
  std::string path;                     ///< the SQLite file; empty: no disk tier
  uint64_t max_bytes = 1ull << 30;      ///< keys + values on disk
  uint64_t max_entry_bytes = 64 << 20;  ///< larger results stay in memory only
};

struct DiskCacheStats {
  uint64_t hits = 0, misses = 0, writes = 0, evictions = 0;
  uint64_t corrupt = 0;  ///< entries whose checksum failed (dropped)
  uint64_t items = 0, bytes = 0;
  bool enabled = false;
  std::string set_aside;  ///< where an unusable file was moved at open, if one was
  nlohmann::json to_json() const;
};

class DiskCache {
 public:
  /// Opens (or creates) options.path. Never throws: a file that cannot be
  /// used is set aside and replaced; when even that fails the tier is off
  /// (enabled() false) and error() says why.
  explicit DiskCache(DiskCacheOptions options);
  ~DiskCache();
  DiskCache(const DiskCache&) = delete;
  DiskCache& operator=(const DiskCache&) = delete;

  bool enabled() const;
  /// Why the tier is off; empty while it works.
  std::string error() const;

  /// The value stored under `key` (its text checked against the checksum
  /// and as JSON; `tensor_id` is not stored), or nullopt. Thread-safe.
  std::optional<CachedValue> lookup(const CacheKey& key);
  /// Stores `value` under `key`, evicting the least recently used entries
  /// past the bound. False when the entry is too large or the tier is off.
  bool insert(const CacheKey& key, const CachedValue& value);

  DiskCacheStats stats() const;
  const DiskCacheOptions& options() const { return options_; }

 private:
  bool open_file();
  bool prepare_schema();
  void set_aside(const std::string& why);
  void turn_off(const std::string& why);
  void evict_locked(uint64_t incoming);
  void drop_locked(const CacheKey& key);
  void close_locked();

  DiskCacheOptions options_;
  mutable std::mutex mu_;  // guards everything below
  sqlite3* db_ = nullptr;
  std::string error_;
  uint64_t next_use_ = 1;
  bool busy_ = false;  ///< the last open failed because another process held the file
  DiskCacheStats stats_;
};

}  // namespace jarvis
