// TensorStore: operands uploaded once and referred to by id. id -> an
// immutable tensor (its .npy bytes, dtype, shape and content digest),
// bounded in bytes of tensor data and in the number of tensors (each costs
// a few hundred bytes the data count leaves out); when a new tensor does not
// fit, the least recently used unpinned tensors are evicted; a tensor may
// also be deleted. A put costs the same however many tensors are held: the
// pinned ones are counted apart and kept off the eviction list.
//
// Threads: every method takes the store's mutex, so the io thread may
// upload while workers read. A reader gets a shared_ptr: an evicted tensor
// stays valid for a task already using it (its bytes leave the count at
// once, its memory when the task lets go).
//
// Ids are "t-" and 16 hex digits drawn from std::random_device (the
// kernel's random source), so one client cannot guess another's ids. The
// content digest, SHA-256 of dtype, shape and data, is what cache keys use:
// the same bytes uploaded again give the same key under a new id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hashcore/backend.h"
#include "hashcore/sha256.h"
#include "vgpu/tensor/device_copies.h"
#include "vgpu/tensor/npy_codec.h"

namespace jarvis {

struct StoredTensor {
  std::string id;
  NpyArray array;
  synthminer::hashcore::Digest digest{};  ///< SHA-256 of dtype, shape and data
  bool pinned = false;                    ///< never evicted; only deleted
  bool finite = false;                    ///< no NaN or infinity (checked once, at upload)
  /// Devices' own copies of this tensor (see device_copies.h).
  mutable DeviceCopies device_copies;

  /// Bytes of tensor data (what the store's bound counts).
  size_t bytes() const { return array.data_size(); }
  /// The digest as 64 lower-case hex digits.
  std::string digest_hex() const;
};

struct TensorStoreOptions {
  uint64_t max_bytes = uint64_t{1} << 30;  ///< tensor data held at once
  uint64_t max_tensors = 65536;            ///< tensors held at once
  /// A self-tested one-lane SHA-256 backend for digests, or null (reference).
  const synthminer::hashcore::Backend* sha = nullptr;
};

struct TensorStoreStats {
  uint64_t tensors = 0;
  uint64_t bytes = 0;
  uint64_t max_bytes = 0;
  uint64_t max_tensors = 0;
  uint64_t evictions = 0;  ///< tensors evicted to make room, since start
};

/// Why put() refused a tensor.
enum class TensorRefusal : uint8_t {
  kNone,
  kTooLarge,  ///< bigger than the whole store
  kFull,      ///< pinned tensors leave no room (bytes or count)
};

struct PutOutcome {
  std::shared_ptr<const StoredTensor> tensor;  ///< null when refused
  TensorRefusal refusal = TensorRefusal::kNone;
  std::string error;  ///< when refused: why, with the sizes
};

class TensorStore {
 public:
  explicit TensorStore(TensorStoreOptions options = {});

  /// Stores `array` under a new id, evicting least recently used unpinned
  /// tensors as needed. Thread-safe.
  PutOutcome put(NpyArray array, bool pinned = false);
  /// The tensor `id`, or null; marks it recently used. Thread-safe.
  std::shared_ptr<const StoredTensor> find(std::string_view id);
  /// Removes `id`; false when there is none. Thread-safe.
  bool erase(std::string_view id);
  /// The `limit` most recently used tensors held, most recent first. Thread-safe.
  std::vector<std::shared_ptr<const StoredTensor>> list(size_t limit = SIZE_MAX) const;
  TensorStoreStats stats() const;

  /// Called with the new stats after every change (put, evict, erase),
  /// under the store's lock, so calls arrive in order: it must not call
  /// back into the store. For the /metrics gauges.
  void on_change(std::function<void(const TensorStoreStats&)> listener);

  const TensorStoreOptions& options() const { return options_; }

 private:
  struct Entry {
    std::shared_ptr<const StoredTensor> tensor;
    uint64_t last_use = 0;                 // use_clock_ when last put or found
    std::list<std::string>::iterator lru;  // in evictable_ (unpinned only)
  };

  std::string new_id_locked();
  void remove_locked(std::unordered_map<std::string, Entry>::iterator it);
  TensorStoreStats stats_locked() const;
  void changed_locked();

  const TensorStoreOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> evictable_;  // unpinned ids, front: most recently used
  uint64_t bytes_ = 0;
  uint64_t pinned_bytes_ = 0;
  uint64_t pinned_count_ = 0;
  uint64_t use_clock_ = 0;
  uint64_t evictions_ = 0;
  std::random_device random_;
  std::function<void(const TensorStoreStats&)> listener_;
};

/// SHA-256 of "npy" ‖ descr ‖ ndim ‖ dims (8 bytes little-endian each) ‖
/// SHA-256(data): equal for equal arrays however their headers were padded.
synthminer::hashcore::Digest tensor_digest(const NpyArray& array,
                                           const synthminer::hashcore::Backend* sha);

}  // namespace jarvis
