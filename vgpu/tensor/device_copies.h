// Where a device keeps its own copy of a stored tensor (e.g. a GPU's device
// buffer), so that an operand uploaded once is also copied to the device
// once. The slot is opaque to the store: a device puts a shared_ptr<void>
// whose deleter frees its copy (cudaFree), keyed by its device id. The store
// drops every copy when the tensor is evicted or deleted; a task still
// holding the tensor keeps its copies alive until it finishes.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace jarvis {

class DeviceCopies {
 public:
  /// The copy `device` put, or null. Thread-safe.
  std::shared_ptr<void> get(const std::string& device) const {
    std::lock_guard lock(mu_);
    auto it = copies_.find(device);
    return it == copies_.end() ? nullptr : it->second;
  }
  /// Keeps `copy` for `device`, replacing any earlier one. Thread-safe.
  void put(const std::string& device, std::shared_ptr<void> copy) {
    std::lock_guard lock(mu_);
    copies_[device] = std::move(copy);
  }
  /// Drops every copy (each freed once its last holder lets go).
  void release_all() {
    std::map<std::string, std::shared_ptr<void>> dropped;
    std::lock_guard lock(mu_);
    dropped.swap(copies_);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<void>> copies_;
};

}  // namespace jarvis
