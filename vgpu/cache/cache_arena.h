// Memory for InfiniteMemoryCache: a slab of cache-line-aligned blocks for the
// entries and zeroed arrays for the slot tables, both on transparent huge
// pages once they are large.
//
// Why. With a million entries resident, a hit costs a table slot and an
// entry at random addresses; on 4 KiB pages each also costs a TLB miss (the
// entries alone span hundreds of thousands of pages). Huge pages (2 MiB)
// bring a resident million within the TLB's reach, and 64-byte blocks keep
// an entry's header and a short key within two adjacent cache lines.
//
// NodeArena hands out blocks of up to kMaxBlock bytes in 64-byte size
// classes from chunks that grow from 64 KiB to 2 MiB (madvise'd for huge
// pages); freed blocks go to a per-class free list and are reused, never
// returned to the system before the arena dies. The arena is reference
// counted: its owner holds one reference and every block one more, so blocks
// still held by readers (CacheRef) stay valid after the cache is destroyed.
// allocate and deallocate take the arena's mutex; a cache lookup touches
// neither.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace jarvis {

/// Zeroed memory for `bytes` bytes, aligned to 64; on huge pages when at
/// least kHugePage bytes (the allocation is then rounded up to whole pages).
/// Free with free_table_memory(p, bytes) using the same `bytes`.
void* allocate_table_memory(size_t bytes);
void free_table_memory(void* p, size_t bytes);

inline constexpr size_t kHugePage = size_t{2} << 20;

class NodeArena {
 public:
  static constexpr size_t kBlockAlign = 64;  ///< bytes; every block starts on a cache line
  static constexpr size_t kMaxBlock = 2048;  ///< bytes; larger blocks come from operator new

  /// A new arena holding one reference (the owner's).
  static NodeArena* create() { return new NodeArena; }
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;

  /// A block of `bytes` (1..kMaxBlock) bytes aligned to kBlockAlign; it holds
  /// one reference to the arena until deallocate(). Throws std::bad_alloc.
  void* allocate(size_t bytes);
  /// Returns a block from allocate(p's size) and drops its reference; the
  /// last reference frees the arena. Thread-safe.
  void deallocate(void* p, size_t bytes);
  /// Drops the owner's reference.
  void release_owner();

  /// Bytes reserved from the system (chunks), for tests and diagnostics.
  size_t reserved_bytes();

 private:
  NodeArena() = default;
  ~NodeArena();
  bool drop_ref_locked();  // true when that was the last reference

  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr size_t kClasses = kMaxBlock / kBlockAlign;

  std::mutex mu_;  // guards every member below
  FreeBlock* free_[kClasses] = {};
  std::vector<std::pair<char*, size_t>> chunks_;  // start, bytes
  char* bump_ = nullptr;
  char* end_ = nullptr;
  size_t next_chunk_ = size_t{64} << 10;
  uint64_t refs_ = 1;
};

}  // namespace jarvis
