#include "vgpu/tensor/tensor_store.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "vgpu/cache/digest.h"

namespace jarvis {
namespace {

void append_le64(std::vector<uint8_t>& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

template <typename T>
bool all_finite(const char* data, size_t bytes) {
  for (size_t at = 0; at + sizeof(T) <= bytes; at += sizeof(T)) {
    T x;
    std::memcpy(&x, data + at, sizeof x);
    if (!std::isfinite(x)) return false;
  }
  return true;
}

// Complex128 is two doubles per element: checked as doubles.
bool array_finite(const NpyArray& array) {
  if (array.dtype == Dtype::kFloat32) return all_finite<float>(array.data(), array.data_size());
  return all_finite<double>(array.data(), array.data_size());
}

std::string hex(const synthminer::hashcore::Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const uint8_t byte : digest) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 15];
  }
  return out;
}

}  // namespace

synthminer::hashcore::Digest tensor_digest(const NpyArray& array,
                                           const synthminer::hashcore::Backend* sha) {
  const auto data =
      digest_bytes({reinterpret_cast<const uint8_t*>(array.data()), array.data_size()}, sha);
  std::vector<uint8_t> outer = {'n', 'p', 'y'};
  const std::string_view descr = dtype_descr(array.dtype);
  outer.insert(outer.end(), descr.begin(), descr.end());
  append_le64(outer, array.shape.size());
  for (const uint64_t dim : array.shape) append_le64(outer, dim);
  outer.insert(outer.end(), data.begin(), data.end());
  return synthminer::hashcore::sha256(outer);
}

std::string StoredTensor::digest_hex() const {
  return hex(digest);
}

TensorStore::TensorStore(TensorStoreOptions options) : options_(options) {}

std::string TensorStore::new_id_locked() {
  for (;;) {
    const uint64_t bits = (static_cast<uint64_t>(random_()) << 32) | random_();
    char id[24];
    std::snprintf(id, sizeof id, "t-%016llx", static_cast<unsigned long long>(bits));
    if (!entries_.count(id)) return id;
  }
}

PutOutcome TensorStore::put(NpyArray array, bool pinned) {
  auto tensor = std::make_shared<StoredTensor>();
  // Hashed before the lock: 32 MiB take ~15 ms even on SHA-NI.
  tensor->digest = tensor_digest(array, options_.sha);
  tensor->finite = array_finite(array);
  tensor->array = std::move(array);
  tensor->pinned = pinned;
  const uint64_t size = tensor->bytes();
  PutOutcome out;
  if (size > options_.max_bytes) {
    out.refusal = TensorRefusal::kTooLarge;
    out.error = "tensor: " + std::to_string(size) + " bytes exceed the store's bound of " +
                std::to_string(options_.max_bytes) + " bytes (vgpu.tensor_store_max_bytes)";
    return out;
  }
  std::lock_guard lock(mu_);
  if (pinned_bytes_ + size > options_.max_bytes) {
    out.refusal = TensorRefusal::kFull;
    out.error = "tensor: the store is full of pinned tensors (" + std::to_string(pinned_bytes_) +
                " of " + std::to_string(options_.max_bytes) +
                " bytes); delete some to make room for " + std::to_string(size) + " bytes";
    return out;
  }
  if (pinned_count_ + 1 > options_.max_tensors) {
    out.refusal = TensorRefusal::kFull;
    out.error = "tensor: the store is full of pinned tensors (" + std::to_string(pinned_count_) +
                " of " + std::to_string(options_.max_tensors) +
                " tensors, vgpu.tensor_store_max_tensors); delete some to make room";
    return out;
  }
  // Least recently used unpinned tensors go first; what is left fits (above).
  while (bytes_ + size > options_.max_bytes || entries_.size() + 1 > options_.max_tensors) {
    remove_locked(entries_.find(evictable_.back()));
    ++evictions_;
  }
  tensor->id = new_id_locked();
  Entry entry{tensor, ++use_clock_, evictable_.end()};
  if (pinned) {
    pinned_bytes_ += size;
    ++pinned_count_;
  } else {
    evictable_.push_front(tensor->id);
    entry.lru = evictable_.begin();
  }
  entries_.emplace(tensor->id, std::move(entry));
  bytes_ += size;
  out.tensor = std::move(tensor);
  changed_locked();
  return out;
}

std::shared_ptr<const StoredTensor> TensorStore::find(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(id));
  if (it == entries_.end()) return nullptr;
  it->second.last_use = ++use_clock_;
  if (!it->second.tensor->pinned) evictable_.splice(evictable_.begin(), evictable_, it->second.lru);
  return it->second.tensor;
}

bool TensorStore::erase(std::string_view id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(id));
  if (it == entries_.end()) return false;
  remove_locked(it);
  changed_locked();
  return true;
}

void TensorStore::remove_locked(std::unordered_map<std::string, Entry>::iterator it) {
  const StoredTensor& tensor = *it->second.tensor;
  bytes_ -= tensor.bytes();
  tensor.device_copies.release_all();
  if (tensor.pinned) {
    pinned_bytes_ -= tensor.bytes();
    --pinned_count_;
  } else {
    evictable_.erase(it->second.lru);
  }
  entries_.erase(it);
}

std::vector<std::shared_ptr<const StoredTensor>> TensorStore::list(size_t limit) const {
  std::vector<std::pair<uint64_t, std::shared_ptr<const StoredTensor>>> used;
  {
    std::lock_guard lock(mu_);
    used.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) used.emplace_back(entry.last_use, entry.tensor);
  }
  const auto kept = used.begin() + static_cast<std::ptrdiff_t>(std::min(limit, used.size()));
  std::partial_sort(used.begin(), kept, used.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  used.erase(kept, used.end());
  std::vector<std::shared_ptr<const StoredTensor>> out;
  out.reserve(used.size());
  for (auto& [when, tensor] : used) out.push_back(std::move(tensor));
  return out;
}

TensorStoreStats TensorStore::stats_locked() const {
  return {entries_.size(), bytes_, options_.max_bytes, options_.max_tensors, evictions_};
}

TensorStoreStats TensorStore::stats() const {
  std::lock_guard lock(mu_);
  return stats_locked();
}

void TensorStore::on_change(std::function<void(const TensorStoreStats&)> listener) {
  std::lock_guard lock(mu_);
  listener_ = std::move(listener);
  if (listener_) listener_(stats_locked());
}

void TensorStore::changed_locked() {
  if (listener_) listener_(stats_locked());
}

}  // namespace jarvis
