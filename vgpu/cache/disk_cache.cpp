#include "vgpu/cache/disk_cache.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "vgpu/cache/digest.h"

namespace jarvis {
namespace {

using nlohmann::json;
using synthminer::hashcore::Digest;

// 'SMVC': a file with another application_id is not ours and is set aside.
constexpr int kApplicationId = 0x534d5643;
constexpr int kSchemaVersion = 1;
constexpr int kBusyTimeoutMs = 2000;

// One prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }
  void bind_blob(int i, const void* data, size_t n) {
    sqlite3_bind_blob64(stmt_, i, data, n, SQLITE_TRANSIENT);
  }
  void bind_text(int i, const std::string& s) {
    sqlite3_bind_text64(stmt_, i, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void bind_int(int i, uint64_t v) { sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(v)); }
  int step() { return sqlite3_step(stmt_); }
  std::string column_bytes(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    const int n = sqlite3_column_bytes(stmt_, i);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
  }
  uint64_t column_int(int i) const { return static_cast<uint64_t>(sqlite3_column_int64(stmt_, i)); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// The checksum written with each entry: SHA-256 of key, a zero byte, value.
Digest entry_checksum(const std::string& key, const std::string& value) {
  std::string joined;
  joined.reserve(key.size() + 1 + value.size());
  joined.append(key).push_back('\0');
  joined.append(value);
  return digest_bytes({reinterpret_cast<const uint8_t*>(joined.data()), joined.size()}, nullptr);
}

bool exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// The single integer a pragma or aggregate answers; nullopt on an error.
std::optional<int64_t> query_int(sqlite3* db, const char* sql) {
  Statement s(db, sql);
  if (!s.ok() || s.step() != SQLITE_ROW) return std::nullopt;
  return sqlite3_column_int64(s.get(), 0);
}

}  // namespace

json DiskCacheStats::to_json() const {
  json j = {{"enabled", enabled},     {"hits", hits},       {"misses", misses}, {"writes", writes},
            {"evictions", evictions}, {"corrupt", corrupt}, {"items", items},   {"bytes", bytes}};
  if (!set_aside.empty()) j["set_aside"] = set_aside;
  return j;
}

DiskCache::DiskCache(DiskCacheOptions options) : options_(std::move(options)) {
  if (options_.path.empty()) return;
  std::lock_guard lock(mu_);
  if (open_file() && prepare_schema()) return;
  // Another process holding the file is no reason to throw its work away.
  if (busy_) return;
  // Unusable as found: move it aside once and start a fresh file.
  set_aside(error_);
  if (!open_file() || !prepare_schema()) close_locked();
}

DiskCache::~DiskCache() {
  std::lock_guard lock(mu_);
  close_locked();
}

bool DiskCache::open_file() {
  const int rc =
      sqlite3_open_v2(options_.path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    error_ =
        "cannot open " + options_.path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    close_locked();
    return false;
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  return true;
}

// Checks that the file is ours and whole, then makes the table if new.
bool DiskCache::prepare_schema() {
  const auto fail = [&](std::string why) {
    const int code = sqlite3_errcode(db_);
    busy_ = code == SQLITE_BUSY || code == SQLITE_LOCKED;
    error_ = options_.path + ": " + (busy_ ? "in use by another process" : why);
    close_locked();
    return false;
  };
  {  // scoped: an open statement would hold a read transaction
    Statement check(db_, "PRAGMA quick_check");
    if (!check.ok())
      return fail(std::string("not a usable SQLite file (") + sqlite3_errmsg(db_) + ")");
    const int rc = check.step();
    const std::string verdict =
        rc == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0)) : "";
    if (rc != SQLITE_ROW || verdict != "ok") {
      return fail("failed its integrity check (" +
                  (verdict.empty() ? std::string(sqlite3_errmsg(db_)) : verdict) + ")");
    }
  }
  const auto app = query_int(db_, "PRAGMA application_id");
  const auto version = query_int(db_, "PRAGMA user_version");
  const auto tables = query_int(db_, "SELECT count(*) FROM sqlite_schema");
  if (!app || !version || !tables) return fail(std::string("unreadable: ") + sqlite3_errmsg(db_));
  const bool fresh = *app == 0 && *version == 0 && *tables == 0;
  if (!fresh && (*app != kApplicationId || *version != kSchemaVersion)) {
    return fail("not a synthminer vgpu cache of schema " + std::to_string(kSchemaVersion) +
                " (application_id " + std::to_string(*app) + ", user_version " +
                std::to_string(*version) + ")");
  }
  if (!exec(db_, "PRAGMA journal_mode=WAL") || !exec(db_, "PRAGMA synchronous=NORMAL"))
    return fail(std::string("cannot set the journal mode: ") + sqlite3_errmsg(db_));
  if (fresh) {
    const std::string init =
        "BEGIN;"
        "CREATE TABLE entries (digest BLOB PRIMARY KEY, key BLOB NOT NULL, value TEXT NOT NULL,"
        " checksum BLOB NOT NULL, compute_ns INTEGER NOT NULL, flops INTEGER NOT NULL,"
        " size INTEGER NOT NULL, last_use INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE INDEX entries_by_use ON entries(last_use);"
        "PRAGMA application_id=" +
        std::to_string(kApplicationId) + ";PRAGMA user_version=" + std::to_string(kSchemaVersion) +
        ";COMMIT;";
    if (!exec(db_, init.c_str()))
      return fail(std::string("cannot create the table: ") + sqlite3_errmsg(db_));
  }
  Statement totals(db_,
                   "SELECT count(*), coalesce(sum(size), 0), coalesce(max(last_use), 0) "
                   "FROM entries");
  if (!totals.ok() || totals.step() != SQLITE_ROW)
    return fail(std::string("cannot read the table: ") + sqlite3_errmsg(db_));
  stats_.items = totals.column_int(0);
  stats_.bytes = totals.column_int(1);
  next_use_ = totals.column_int(2) + 1;
  stats_.enabled = true;
  error_.clear();
  return true;
}

void DiskCache::set_aside(const std::string& why) {
  close_locked();
  const std::string aside =
      options_.path + ".corrupt-" + std::to_string(static_cast<long long>(std::time(nullptr)));
  if (std::rename(options_.path.c_str(), aside.c_str()) != 0) {
    // No file (e.g. a folder that does not exist): nothing to set aside.
    if (errno != ENOENT) error_ = why + "; cannot move it aside: " + std::strerror(errno);
    return;
  }
  // The journal files belong to the old file, not to the fresh one.
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = options_.path + suffix;
    std::rename(side.c_str(), (aside + suffix).c_str());
  }
  stats_.set_aside = aside + " (" + why + ")";
}

void DiskCache::turn_off(const std::string& why) {
  error_ = options_.path + ": " + why + ": " + (db_ ? sqlite3_errmsg(db_) : "closed") +
           "; the disk tier is off until restart";
  close_locked();
}

void DiskCache::close_locked() {
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
  stats_.enabled = false;
}

bool DiskCache::enabled() const {
  std::lock_guard lock(mu_);
  return db_ != nullptr;
}

std::string DiskCache::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

DiskCacheStats DiskCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::optional<CachedValue> DiskCache::lookup(const CacheKey& key) {
  std::lock_guard lock(mu_);
  if (!db_) return std::nullopt;
  Statement select(db_,
                   "SELECT key, value, checksum, compute_ns, flops FROM entries WHERE digest = ?");
  if (!select.ok()) {
    turn_off("lookup");
    return std::nullopt;
  }
  select.bind_blob(1, key.digest.data(), key.digest.size());
  const int rc = select.step();
  if (rc == SQLITE_DONE) {
    ++stats_.misses;
    return std::nullopt;
  }
  if (rc != SQLITE_ROW) {
    turn_off("lookup");
    return std::nullopt;
  }
  const std::string stored_key = select.column_bytes(0);
  if (stored_key != key.bytes) {  // another request with the same digest: never its answer
    ++stats_.misses;
    return std::nullopt;
  }
  const std::string text = select.column_bytes(1);
  const std::string checksum = select.column_bytes(2);
  const Digest expected = entry_checksum(stored_key, text);
  if (checksum.size() != expected.size() ||
      std::memcmp(checksum.data(), expected.data(), expected.size()) != 0 || !json::accept(text)) {
    ++stats_.corrupt;
    ++stats_.misses;
    drop_locked(key);
    return std::nullopt;
  }
  CachedValue found;
  found.text = text;
  found.compute_ns = select.column_int(3);
  found.flops = select.column_int(4);
  Statement touch(db_, "UPDATE entries SET last_use = ? WHERE digest = ?");
  touch.bind_int(1, next_use_++);
  touch.bind_blob(2, key.digest.data(), key.digest.size());
  if (!touch.ok() || touch.step() != SQLITE_DONE) turn_off("renewing an entry");
  ++stats_.hits;
  return found;
}

void DiskCache::drop_locked(const CacheKey& key) {
  Statement size(db_, "SELECT size FROM entries WHERE digest = ?");
  size.bind_blob(1, key.digest.data(), key.digest.size());
  if (!size.ok() || size.step() != SQLITE_ROW) return;
  const uint64_t bytes = size.column_int(0);
  Statement del(db_, "DELETE FROM entries WHERE digest = ?");
  del.bind_blob(1, key.digest.data(), key.digest.size());
  if (!del.ok() || del.step() != SQLITE_DONE) return turn_off("dropping an entry");
  stats_.items -= 1;
  stats_.bytes -= bytes;
}

// Deletes the least recently used entries until `incoming` more bytes fit.
void DiskCache::evict_locked(uint64_t incoming) {
  while (db_ && stats_.items > 0 && stats_.bytes + incoming > options_.max_bytes) {
    Statement oldest(db_, "SELECT digest, size FROM entries ORDER BY last_use LIMIT 1");
    if (!oldest.ok() || oldest.step() != SQLITE_ROW) return turn_off("evicting");
    const std::string digest = oldest.column_bytes(0);
    const uint64_t bytes = oldest.column_int(1);
    Statement del(db_, "DELETE FROM entries WHERE digest = ?");
    del.bind_blob(1, digest.data(), digest.size());
    if (!del.ok() || del.step() != SQLITE_DONE) return turn_off("evicting");
    stats_.items -= 1;
    stats_.bytes -= bytes;
    ++stats_.evictions;
  }
}

bool DiskCache::insert(const CacheKey& key, const CachedValue& value) {
  const std::string& text = value.text;
  const uint64_t size = key.bytes.size() + text.size();
  if (size > options_.max_entry_bytes || size > options_.max_bytes) return false;
  const Digest checksum = entry_checksum(key.bytes, text);
  std::lock_guard lock(mu_);
  if (!db_) return false;
  if (!exec(db_, "BEGIN IMMEDIATE")) {
    turn_off("starting a write");
    return false;
  }
  drop_locked(key);  // a replaced entry gives its bytes back first
  evict_locked(size);
  if (!db_) return false;
  Statement put(db_,
                "INSERT INTO entries (digest, key, value, checksum, compute_ns, flops, size,"
                " last_use) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  put.bind_blob(1, key.digest.data(), key.digest.size());
  put.bind_blob(2, key.bytes.data(), key.bytes.size());
  put.bind_text(3, text);
  put.bind_blob(4, checksum.data(), checksum.size());
  put.bind_int(5, value.compute_ns);
  put.bind_int(6, value.flops);
  put.bind_int(7, size);
  put.bind_int(8, next_use_++);
  if (!put.ok() || put.step() != SQLITE_DONE || !exec(db_, "COMMIT")) {
    exec(db_, "ROLLBACK");
    turn_off("writing an entry");
    return false;
  }
  stats_.items += 1;
  stats_.bytes += size;
  ++stats_.writes;
  return true;
}

}  // namespace jarvis
