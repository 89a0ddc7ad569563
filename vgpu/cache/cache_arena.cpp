#include "vgpu/cache/cache_arena.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace jarvis {
namespace {

size_t round_up(size_t n, size_t to) {
  return (n + to - 1) / to * to;
}

// 64-byte aligned, and on huge pages when a whole one fits (a hint: the
// kernel may decline, leaving ordinary pages).
void* allocate_raw(size_t bytes) {
  const bool huge = bytes >= kHugePage;
  const size_t align = huge ? kHugePage : NodeArena::kBlockAlign;
  void* p = std::aligned_alloc(align, round_up(bytes, align));
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  if (huge) madvise(p, round_up(bytes, align), MADV_HUGEPAGE);
#endif
  return p;
}

}  // namespace

void* allocate_table_memory(size_t bytes) {
  void* p = allocate_raw(bytes);
  std::memset(p, 0, bytes);
  return p;
}

void free_table_memory(void* p, size_t /*bytes*/) {
  std::free(p);
}

NodeArena::~NodeArena() {
  for (auto [start, bytes] : chunks_) std::free(start);
}

void* NodeArena::allocate(size_t bytes) {
  const size_t cls = (bytes - 1) / kBlockAlign;
  const size_t size = (cls + 1) * kBlockAlign;
  std::lock_guard lock(mu_);
  ++refs_;
  if (FreeBlock* b = free_[cls]) {
    free_[cls] = b->next;
    return b;
  }
  if (static_cast<size_t>(end_ - bump_) < size) {
    // The tail of the old chunk is dropped: at most kMaxBlock bytes per chunk.
    try {
      bump_ = static_cast<char*>(allocate_raw(next_chunk_));
    } catch (...) {
      --refs_;
      throw;
    }
    chunks_.emplace_back(bump_, next_chunk_);
    end_ = bump_ + next_chunk_;
    if (next_chunk_ < kHugePage) next_chunk_ *= 2;
  }
  void* p = bump_;
  bump_ += size;
  return p;
}

bool NodeArena::drop_ref_locked() {
  return --refs_ == 0;
}

void NodeArena::deallocate(void* p, size_t bytes) {
  const size_t cls = (bytes - 1) / kBlockAlign;
  bool last;
  {
    std::lock_guard lock(mu_);
    auto* b = static_cast<FreeBlock*>(p);
    b->next = free_[cls];
    free_[cls] = b;
    last = drop_ref_locked();
  }
  if (last) delete this;
}

void NodeArena::release_owner() {
  bool last;
  {
    std::lock_guard lock(mu_);
    last = drop_ref_locked();
  }
  if (last) delete this;
}

size_t NodeArena::reserved_bytes() {
  std::lock_guard lock(mu_);
  size_t total = 0;
  for (auto [start, bytes] : chunks_) total += bytes;
  return total;
}

}  // namespace jarvis
