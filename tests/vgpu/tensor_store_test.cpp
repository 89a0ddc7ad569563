// TensorStore: ids, the byte and count bounds with LRU eviction of unpinned
// tensors (checked against a plain model on random operations), pinning,
// delete, the listing's order, device copies released on eviction, content digests,
// metrics listener, and readers racing writers.
#include "vgpu/tensor/tensor_store.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace jarvis {
namespace {

// A float64 vector of n elements, all `value`.
NpyArray vector_of(size_t n, double value = 1.0) {
  std::vector<double> data(n, value);
  return encode_npy(Dtype::kFloat64, {n}, data.data(), n * sizeof(double));
}

TensorStore small_store(uint64_t max_bytes) {
  return TensorStore(TensorStoreOptions{max_bytes});
}

TEST(TensorStore, PutFindEraseWithUnguessableIds) {
  TensorStore store = small_store(1 << 20);
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    PutOutcome put = store.put(vector_of(4, i));
    ASSERT_TRUE(put.tensor) << put.error;
    const std::string& id = put.tensor->id;
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.rfind("t-", 0), 0u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef", 2), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
  const std::string first = *ids.begin();
  auto found = store.find(first);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->bytes(), 32u);
  EXPECT_TRUE(found->finite);
  EXPECT_EQ(store.stats().tensors, 100u);
  EXPECT_EQ(store.stats().bytes, 3200u);
  EXPECT_TRUE(store.erase(first));
  EXPECT_FALSE(store.erase(first));
  EXPECT_FALSE(store.find(first));
  EXPECT_EQ(store.stats().bytes, 3168u);
}

TEST(TensorStore, EvictsLeastRecentlyUsedUnpinned) {
  TensorStore store = small_store(3 * 800);  // room for three 100-double tensors
  auto a = store.put(vector_of(100)).tensor;
  auto b = store.put(vector_of(100)).tensor;
  auto c = store.put(vector_of(100)).tensor;
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(store.find(a->id));  // a is now the most recent; b the least
  auto d = store.put(vector_of(100)).tensor;
  ASSERT_TRUE(d);
  EXPECT_TRUE(store.find(a->id));
  EXPECT_FALSE(store.find(b->id));
  EXPECT_TRUE(store.find(c->id));
  EXPECT_EQ(store.stats().evictions, 1u);
  EXPECT_LE(store.stats().bytes, 2400u);
  // The evicted tensor stays readable by whoever holds it.
  EXPECT_EQ(b->bytes(), 800u);
  double first;
  std::memcpy(&first, b->array.data(), sizeof first);
  EXPECT_EQ(first, 1.0);
}

TEST(TensorStore, PinnedTensorsStayAndFullStoreRefuses) {
  TensorStore store = small_store(2 * 800);
  auto pinned = store.put(vector_of(100), /*pinned=*/true).tensor;
  auto loose = store.put(vector_of(100)).tensor;
  ASSERT_TRUE(pinned && loose);
  auto next = store.put(vector_of(100)).tensor;  // evicts loose, not pinned
  ASSERT_TRUE(next);
  EXPECT_TRUE(store.find(pinned->id));
  EXPECT_FALSE(store.find(loose->id));
  ASSERT_TRUE(store.put(vector_of(100), true).tensor);  // evicts next
  PutOutcome full = store.put(vector_of(100));
  EXPECT_FALSE(full.tensor);
  EXPECT_EQ(full.refusal, TensorRefusal::kFull);
  EXPECT_NE(full.error.find("full of pinned tensors"), std::string::npos) << full.error;
  PutOutcome huge = store.put(vector_of(1000));
  EXPECT_EQ(huge.refusal, TensorRefusal::kTooLarge);
  EXPECT_NE(huge.error.find("vgpu.tensor_store_max_bytes"), std::string::npos) << huge.error;
  EXPECT_TRUE(store.erase(pinned->id));
  EXPECT_TRUE(store.put(vector_of(100)).tensor);
}

TEST(TensorStore, DeviceCopiesAreReleasedOnEviction) {
  TensorStore store = small_store(800);
  auto a = store.put(vector_of(100)).tensor;
  ASSERT_TRUE(a);
  auto freed = std::make_shared<std::atomic<int>>(0);
  a->device_copies.put("gpu0", std::shared_ptr<void>(new int(7), [freed](void* p) {
                         delete static_cast<int*>(p);
                         ++*freed;
                       }));
  EXPECT_TRUE(a->device_copies.get("gpu0"));
  EXPECT_FALSE(a->device_copies.get("gpu1"));
  ASSERT_TRUE(store.put(vector_of(100)).tensor);  // evicts a
  EXPECT_EQ(freed->load(), 1);
  EXPECT_FALSE(a->device_copies.get("gpu0"));
}

TEST(TensorStore, DigestDependsOnContentNotHeaderOrId) {
  TensorStore store = small_store(1 << 20);
  auto a = store.put(vector_of(10, 2.0)).tensor;
  auto b = store.put(vector_of(10, 2.0)).tensor;
  auto c = store.put(vector_of(10, 3.0)).tensor;
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(a->digest, b->digest);
  EXPECT_NE(a->digest, c->digest);
  // Same bytes, another shape or dtype: another digest.
  std::vector<double> data(10, 2.0);
  auto reshaped = store.put(encode_npy(Dtype::kFloat64, {2, 5}, data.data(), 80)).tensor;
  EXPECT_NE(reshaped->digest, a->digest);
  EXPECT_EQ(a->digest_hex().size(), 64u);
  auto nan = store.put(vector_of(3, std::nan(""))).tensor;
  EXPECT_FALSE(nan->finite);
}

TEST(TensorStore, ListenerSeesEveryChange) {
  TensorStore store = small_store(800);
  std::vector<TensorStoreStats> seen;
  store.on_change([&seen](const TensorStoreStats& s) { seen.push_back(s); });
  ASSERT_EQ(seen.size(), 1u);  // the current state at once
  auto a = store.put(vector_of(100)).tensor;
  store.put(vector_of(100));  // evicts a
  store.erase("t-0000000000000000");
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].tensors, 1u);
  EXPECT_EQ(seen[2].evictions, 1u);
  EXPECT_EQ(seen[2].bytes, 800u);
  EXPECT_EQ(seen[2].max_bytes, 800u);
}

TEST(TensorStore, ReadersAndWritersOnManyThreads) {
  TensorStore store = small_store(50 * 800);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(store.put(vector_of(100), i < 5).tensor->id);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> reads{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (uint64_t i = 0; !stop; ++i) {
        if (auto found = store.find(ids[(i + t) % ids.size()])) {
          EXPECT_EQ(found->bytes(), 800u);
          ++reads;
        }
        (void)store.list();
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    auto put = store.put(vector_of(100));
    ASSERT_TRUE(put.tensor);
    if (i % 3 == 0) store.erase(put.tensor->id);
    EXPECT_LE(store.stats().bytes, 50u * 800u);
  }
  stop = true;
  for (auto& t : threads) t.join();
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(store.find(ids[i])) << "pinned tensors stay";
  EXPECT_GT(reads.load(), 0u);
}

TEST(TensorStore, CountBoundEvictsLeastRecentlyUsedAndRefusesWhenAllPinned) {
  TensorStore store(TensorStoreOptions{.max_bytes = 1 << 20, .max_tensors = 3});
  auto a = store.put(vector_of(1)).tensor;
  auto b = store.put(vector_of(1)).tensor;
  auto c = store.put(vector_of(1)).tensor;
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(store.find(a->id));  // b is now the least recent
  ASSERT_TRUE(store.put(vector_of(1)).tensor);
  EXPECT_FALSE(store.find(b->id));
  EXPECT_TRUE(store.find(a->id));
  EXPECT_EQ(store.stats().tensors, 3u);
  EXPECT_EQ(store.stats().max_tensors, 3u);
  EXPECT_EQ(store.stats().evictions, 1u);

  TensorStore pinned_only(TensorStoreOptions{.max_bytes = 1 << 20, .max_tensors = 2});
  auto p = pinned_only.put(vector_of(1), true).tensor;
  ASSERT_TRUE(p && pinned_only.put(vector_of(1), true).tensor);
  for (bool pin : {false, true}) {
    PutOutcome full = pinned_only.put(vector_of(1), pin);
    EXPECT_FALSE(full.tensor);
    EXPECT_EQ(full.refusal, TensorRefusal::kFull);
    EXPECT_NE(full.error.find("vgpu.tensor_store_max_tensors"), std::string::npos) << full.error;
  }
  EXPECT_TRUE(pinned_only.erase(p->id));
  EXPECT_TRUE(pinned_only.put(vector_of(1)).tensor);
  EXPECT_EQ(pinned_only.stats().tensors, 2u);
}

TEST(TensorStore, ListIsMostRecentlyUsedFirstPinnedIncluded) {
  TensorStore store = small_store(1 << 20);
  auto a = store.put(vector_of(1), /*pinned=*/true).tensor;
  auto b = store.put(vector_of(1)).tensor;
  auto c = store.put(vector_of(1), true).tensor;
  auto d = store.put(vector_of(1)).tensor;
  ASSERT_TRUE(store.find(a->id) && store.find(b->id));
  std::vector<std::string> order;
  for (const auto& t : store.list()) order.push_back(t->id);
  EXPECT_EQ(order, (std::vector<std::string>{b->id, a->id, d->id, c->id}));
}

// The store against a plain model (a recency-ordered vector scanned in full)
// on random puts, finds and erases of pinned and unpinned tensors of random
// sizes: the same tensors held after every step, the same refusals.
TEST(TensorStore, MatchesAPlainModelOnRandomOperations) {
  struct Held {
    std::string id;
    uint64_t bytes;
    bool pinned;
  };
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    const uint64_t max_bytes = 800 * (2 + rng() % 20);
    const uint64_t max_tensors = 1 + rng() % 12;
    TensorStore store(TensorStoreOptions{.max_bytes = max_bytes, .max_tensors = max_tensors});
    std::vector<Held> model;  // front: most recently used
    for (int step = 0; step < 400; ++step) {
      const int what = static_cast<int>(rng() % 10);
      if (what < 5) {
        const uint64_t n = 1 + rng() % 300;
        const bool pin = rng() % 6 == 0;
        uint64_t pinned_bytes = 0, pinned_count = 0;
        for (const Held& h : model)
          if (h.pinned) pinned_bytes += h.bytes, ++pinned_count;
        const bool fits = n * 8 <= max_bytes && pinned_bytes + n * 8 <= max_bytes &&
                          pinned_count + 1 <= max_tensors;
        PutOutcome put = store.put(vector_of(n), pin);
        ASSERT_EQ(static_cast<bool>(put.tensor), fits) << "seed " << seed << " step " << step;
        if (!fits) continue;
        auto total = [&] {
          uint64_t sum = 0;
          for (const Held& h : model) sum += h.bytes;
          return sum;
        };
        while (total() + n * 8 > max_bytes || model.size() + 1 > max_tensors) {
          auto victim =
              std::find_if(model.rbegin(), model.rend(), [](const Held& h) { return !h.pinned; });
          ASSERT_NE(victim, model.rend());
          model.erase(std::next(victim).base());
        }
        model.insert(model.begin(), Held{put.tensor->id, n * 8, pin});
      } else if (what < 8 && !model.empty()) {
        const size_t at = rng() % model.size();
        ASSERT_TRUE(store.find(model[at].id));
        std::rotate(model.begin(), model.begin() + static_cast<long>(at),
                    model.begin() + static_cast<long>(at) + 1);
      } else if (!model.empty()) {
        const size_t at = rng() % model.size();
        ASSERT_TRUE(store.erase(model[at].id));
        model.erase(model.begin() + static_cast<long>(at));
      }
      std::vector<std::string> held, expected;
      for (const auto& t : store.list()) held.push_back(t->id);
      for (const Held& h : model) expected.push_back(h.id);
      ASSERT_EQ(held, expected) << "seed " << seed << " step " << step;
      uint64_t bytes = 0;
      for (const Held& h : model) bytes += h.bytes;
      ASSERT_EQ(store.stats().bytes, bytes);
    }
  }
}

}  // namespace
}  // namespace jarvis
