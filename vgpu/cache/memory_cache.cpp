#include "vgpu/cache/memory_cache.h"

#include "vgpu/cache/cache_arena.h"
#include "vgpu/cache/canonical_json.h"
#include "vgpu/cache/digest.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <new>
#include <unordered_map>

namespace jarvis {
namespace {

using synthminer::hashcore::Digest;

uint64_t digest_word(const Digest& d, size_t offset) {
  uint64_t v;
  std::memcpy(&v, d.data() + offset, sizeof v);
  return v;
}

// The table tag: never 0, which marks an empty slot.
uint64_t tag_of(const Digest& d) {
  return digest_word(d, 0) | 1;
}

}  // namespace

// One entry in one block: this 64-byte header (what a hit reads), then the
// key bytes from the next cache line, then the trailer with the value. Blocks
// come from the cache's NodeArena (64-byte aligned, huge pages), so a hit on
// a key of up to 64 bytes touches two adjacent cache lines of one page.
struct CacheNode {
  struct Trailer {
    uint64_t bytes = 0;          // charged to the shard
    NodeArena* arena = nullptr;  // null: the block came from operator new
    size_t block_size = 0;       // bytes, as allocated
    CachedValue value;
  };

  std::atomic<uint32_t> refs{1};
  uint8_t freq = 0;          // 0..3, bumped by hits; guarded by the shard mutex
  bool cost_credit = false;  // one extra pass through main (costly to recompute)
  bool live = true;          // false once replaced: the queue drops it when reached
  bool in_small = false;     // which queue holds it
  uint32_t key_size = 0;
  uint32_t trailer_offset = 0;  // bytes from `this` to the Trailer
  uint64_t compute_ns = 0;      // copies of the value's, so a hit need not touch it
  uint64_t flops = 0;
  Digest digest{};

  const char* key() const { return reinterpret_cast<const char*>(this + 1); }
  Trailer& trailer() {
    return *std::launder(
        reinterpret_cast<Trailer*>(reinterpret_cast<char*>(this) + trailer_offset));
  }
  CachedValue& value() { return trailer().value; }
  uint64_t bytes() { return trailer().bytes; }
  bool matches(const CacheKey& k) const {
    return digest == k.digest && key_size == k.bytes.size() &&
           std::memcmp(key(), k.bytes.data(), key_size) == 0;
  }

  static CacheNode* create(const CacheKey& k, CachedValue&& v, uint64_t bytes, NodeArena* arena) {
    constexpr size_t kAlign = alignof(Trailer);
    const size_t offset = (sizeof(CacheNode) + k.bytes.size() + kAlign - 1) / kAlign * kAlign;
    const size_t block_size = offset + sizeof(Trailer);
    if (block_size > NodeArena::kMaxBlock) arena = nullptr;
    char* raw = static_cast<char*>(arena ? arena->allocate(block_size)
                                         : ::operator new (block_size, std::align_val_t{64}));
    auto* node = new (raw) CacheNode;
    node->key_size = static_cast<uint32_t>(k.bytes.size());
    node->trailer_offset = static_cast<uint32_t>(offset);
    node->compute_ns = v.compute_ns;
    node->flops = v.flops;
    node->digest = k.digest;
    std::memcpy(raw + sizeof(CacheNode), k.bytes.data(), k.bytes.size());
    new (raw + offset) Trailer{bytes, arena, block_size, std::move(v)};
    return node;
  }
  static void release(CacheNode* node) {
    if (node && node->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      Trailer& t = node->trailer();
      NodeArena* arena = t.arena;
      const size_t block_size = t.block_size;
      t.~Trailer();
      node->~CacheNode();
      if (arena)
        arena->deallocate(node, block_size);
      else
        ::operator delete (node, std::align_val_t{64});
    }
  }
};
static_assert(sizeof(CacheNode) == 64, "a hit reads one header line");

CacheRef::CacheRef(CacheNode* node) : node_(node) {}
CacheRef::CacheRef(const CacheRef& other) : node_(other.node_) {
  if (node_) node_->refs.fetch_add(1, std::memory_order_relaxed);
}
CacheRef::~CacheRef() {
  CacheNode::release(node_);
}
const CachedValue& CacheRef::operator*() const {
  return node_->value();
}

CacheKey CacheKey::make(std::string_view kind, std::string_view signature,
                        const nlohmann::json& payload, const synthminer::hashcore::Backend* sha) {
  std::string bytes;
  bytes.reserve(kResultFormat.size() + kind.size() + signature.size() + 64);
  bytes.append(kResultFormat).push_back('\0');
  bytes.append(kind).push_back('\0');
  bytes.append(signature).push_back('\0');
  append_canonical_json(bytes, payload);
  return from_bytes(std::move(bytes), sha);
}

CacheKey CacheKey::from_bytes(std::string bytes, const synthminer::hashcore::Backend* sha) {
  CacheKey key;
  key.digest =
      digest_bytes(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), sha);
  key.bytes = std::move(bytes);
  return key;
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
  struct Slot {
    uint64_t tag = 0;
    CacheNode* node = nullptr;
  };

  // A power-of-two array of zeroed slots (all-zero bytes: an empty slot), at
  // most half full; on huge pages from 2 MiB up.
  class SlotTable {
   public:
    explicit SlotTable(size_t n)
        : slots_(static_cast<Slot*>(allocate_table_memory(n * sizeof(Slot)))), size_(n) {}
    SlotTable(SlotTable&& o) noexcept : slots_(std::exchange(o.slots_, nullptr)), size_(o.size_) {}
    SlotTable& operator=(SlotTable o) noexcept {
      std::swap(slots_, o.slots_);
      std::swap(size_, o.size_);
      return *this;
    }
    ~SlotTable() {
      if (slots_) free_table_memory(slots_, size_ * sizeof(Slot));
    }
    Slot& operator[](size_t i) { return slots_[i]; }
    const Slot& operator[](size_t i) const { return slots_[i]; }
    size_t size() const { return size_; }

   private:
    Slot* slots_;
    size_t size_;
  };
  static constexpr size_t kInitialSlots = 64;

  // Guards every member below.
  mutable std::mutex mu;
  SlotTable table{kInitialSlots};
  uint64_t size = 0;  // live nodes in the table
  // The queues own one reference to each node they hold (live or replaced).
  std::deque<CacheNode*> small, main;
  std::unordered_map<uint64_t, uint64_t> ghost;  // fingerprint -> sequence
  std::deque<std::pair<uint64_t, uint64_t>> ghost_fifo;
  uint64_t ghost_seq = 0;
  uint64_t max_items = 0, max_bytes = 0, small_items = 0;
  uint64_t bytes = 0, small_count = 0;
  double cost_per_byte_mean = 0.0;  // running mean over insertions, ns per byte
  CacheStats counts;

  ~Shard() {
    for (CacheNode* n : small) CacheNode::release(n);
    for (CacheNode* n : main) CacheNode::release(n);
  }

  size_t mask() const { return table.size() - 1; }

  // The slot holding `key`'s node, or the empty slot where it would go.
  size_t find_slot(const CacheKey& key) const {
    const uint64_t tag = tag_of(key.digest);
    for (size_t i = tag & mask();; i = (i + 1) & mask()) {
      const Slot& s = table[i];
      if (s.tag == 0 || (s.tag == tag && s.node->digest == key.digest)) return i;
    }
  }

  void grow() {
    SlotTable bigger(table.size() * 2);
    const size_t m = bigger.size() - 1;
    for (size_t j = 0; j < table.size(); ++j) {
      const Slot& s = table[j];
      if (!s.tag) continue;
      size_t i = s.tag & m;
      while (bigger[i].tag) i = (i + 1) & m;
      bigger[i] = s;
    }
    table = std::move(bigger);
  }

  // Removes slot i, shifting later members of its probe run back (no tombstones).
  void erase_slot(size_t i) {
    size_t hole = i;
    for (size_t j = (i + 1) & mask(); table[j].tag; j = (j + 1) & mask()) {
      const size_t home = table[j].tag & mask();
      // Move j into the hole when its home is not in (hole, j] cyclically.
      const bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        table[hole] = table[j];
        hole = j;
      }
    }
    table[hole] = Slot{};
    --size;
  }

  void remember_ghost(const Digest& d) {
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

  // Drops a live node from the table and the byte count; the caller releases it.
  void evict(CacheNode* n, bool remember) {
    CacheKey probe;
    probe.digest = n->digest;
    erase_slot(find_slot(probe));
    bytes -= n->bytes();
    n->live = false;
    if (remember) remember_ghost(n->digest);
    ++counts.evictions;
  }

  void evict_from_small() {
    CacheNode* n = small.front();
    small.pop_front();
    if (!n->live) {
      CacheNode::release(n);
      return;
    }
    --small_count;
    n->in_small = false;
    if (n->freq >= 1) {
      n->freq = 0;
      main.push_back(n);
    } else {
      evict(n, true);
      CacheNode::release(n);
    }
  }

  void evict_from_main() {
    CacheNode* n = main.front();
    main.pop_front();
    if (!n->live) {
      CacheNode::release(n);
      return;
    }
    if (n->freq > 0 || n->cost_credit) {
      if (n->freq > 0)
        --n->freq;
      else
        n->cost_credit = false;
      main.push_back(n);
    } else {
      evict(n, false);
      CacheNode::release(n);
    }
  }

  void make_room() {
    while (size > max_items || bytes > max_bytes) {
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
    shards_.push_back(std::move(shard));
  }
  arena_ = NodeArena::create();  // last: nothing after it can throw and leak it
}

InfiniteMemoryCache::~InfiniteMemoryCache() {
  shards_.clear();  // releases the queues' references before the owner's
  arena_->release_owner();
}

InfiniteMemoryCache::Shard& InfiniteMemoryCache::shard_for(const CacheKey& key) const {
  return *shards_[digest_word(key.digest, 8) & (shards_.size() - 1)];
}

CacheRef InfiniteMemoryCache::lookup(const CacheKey& key, bool count_miss) {
  Shard& s = shard_for(key);
  std::lock_guard lock(s.mu);
  CacheNode* n = s.table[s.find_slot(key)].node;
  if (!n || !n->matches(key)) {
    if (count_miss) ++s.counts.misses;
    return CacheRef();
  }
  if (n->freq < 3) ++n->freq;
  ++s.counts.hits;
  s.counts.compute_ns_saved += n->compute_ns;
  s.counts.flops_saved += n->flops;
  n->refs.fetch_add(1, std::memory_order_relaxed);
  return CacheRef(n);
}

bool InfiniteMemoryCache::insert(const CacheKey& key, CachedValue value) {
  // A tree takes a few times its text (nodes, strings, containers).
  if (value.bytes == 0)
    value.bytes = value.text.size() * (value.tree ? 5 : 1) + value.tensor_id.size();
  const uint64_t bytes = key.bytes.size() + value.bytes + kEntryOverhead;
  const double cost_per_byte =
      static_cast<double>(value.compute_ns) / static_cast<double>(std::max<uint64_t>(1, bytes));
  Shard& s = shard_for(key);
  if (bytes > s.max_bytes) {
    std::lock_guard lock(s.mu);
    ++s.counts.rejected;
    return false;
  }
  CacheNode* node = CacheNode::create(key, std::move(value), bytes, arena_);
  std::lock_guard lock(s.mu);
  size_t slot = s.find_slot(key);
  bool to_main = false;
  if (CacheNode* old = s.table[slot].node) {
    // Same digest (the same key, or a collision): the new node replaces the old
    // one, which its queue drops when it reaches it; readers keep their copy.
    old->live = false;
    s.bytes -= old->bytes();
    to_main = !old->in_small;
    if (old->in_small) --s.small_count;
    --s.size;
  } else {
    to_main = s.ghost.erase(digest_word(key.digest, 16)) != 0;
  }
  s.cost_per_byte_mean += (cost_per_byte - s.cost_per_byte_mean) /
                          static_cast<double>(std::min<uint64_t>(++s.counts.insertions, 1024));
  node->cost_credit = cost_per_byte > s.cost_per_byte_mean;
  s.table[slot] = Shard::Slot{tag_of(key.digest), node};
  ++s.size;
  s.bytes += bytes;
  if (to_main) {
    s.main.push_back(node);
  } else {
    node->in_small = true;
    s.small.push_back(node);
    ++s.small_count;
  }
  if (2 * s.size > s.table.size()) s.grow();
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
    total.items += shard->size;
    total.bytes += shard->bytes;
  }
  return total;
}

void InfiniteMemoryCache::clear() {
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    for (CacheNode* n : shard->small) CacheNode::release(n);
    for (CacheNode* n : shard->main) CacheNode::release(n);
    shard->small.clear();
    shard->main.clear();
    shard->table = Shard::SlotTable(Shard::kInitialSlots);
    shard->ghost.clear();
    shard->ghost_fifo.clear();
    shard->size = 0;
    shard->bytes = 0;
    shard->small_count = 0;
  }
}

}  // namespace jarvis
