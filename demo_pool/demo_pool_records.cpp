#include "demo_pool/demo_pool_records.h"

namespace synthminer::demo_pool {

void PoolRecords::add_share(ShareRecord record) {
  {
    std::lock_guard lock(mutex_);
    if (record.accepted) {
      ++counts_.accepted;
      if (record.block) ++counts_.blocks;
    } else {
      ++counts_.rejected;
      if (record.injected) ++counts_.injected;
    }
    shares_.push_back(std::move(record));
    while (shares_.size() > max_records_) shares_.pop_front();
  }
  changed_.notify_all();
}

void PoolRecords::add_received(uint64_t session, const protocol::Incoming& message) {
  {
    std::lock_guard lock(mutex_);
    ++method_counts_[message.method];
    received_.push_back(ReceivedMessage{session, message});
    while (received_.size() > max_records_) received_.pop_front();
  }
  changed_.notify_all();
}

void PoolRecords::connection_opened() {
  {
    std::lock_guard lock(mutex_);
    ++open_;
    ++total_;
  }
  changed_.notify_all();
}

void PoolRecords::connection_closed() {
  {
    std::lock_guard lock(mutex_);
    --open_;
  }
  changed_.notify_all();
}

std::vector<ShareRecord> PoolRecords::shares() const {
  std::lock_guard lock(mutex_);
  return {shares_.begin(), shares_.end()};
}

ShareCounts PoolRecords::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::vector<ReceivedMessage> PoolRecords::received() const {
  std::lock_guard lock(mutex_);
  return {received_.begin(), received_.end()};
}

size_t PoolRecords::connections() const {
  std::lock_guard lock(mutex_);
  return open_;
}

uint64_t PoolRecords::connections_total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

bool PoolRecords::wait_for_shares(size_t count, std::chrono::milliseconds timeout) const {
  return wait(timeout, [&] { return counts_.accepted + counts_.rejected >= count; });
}

bool PoolRecords::wait_for_connections(size_t count, std::chrono::milliseconds timeout) const {
  return wait(timeout, [&] { return open_ == count; });
}

bool PoolRecords::wait_for_method(std::string_view method, size_t count,
                                  std::chrono::milliseconds timeout) const {
  return wait(timeout, [&] {
    const auto it = method_counts_.find(method);
    return it != method_counts_.end() && it->second >= count;
  });
}

}  // namespace synthminer::demo_pool
