// What DemoPool saw: every share with its verdict, every message a miner
// sent, the connection counts. Written on the pool's io thread, read from any
// thread; the waits block a test thread until enough has arrived. Internal
// to DemoPool.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "demo_pool/demo_pool.h"

namespace synthminer::demo_pool {

class PoolRecords {
 public:
  /// Keeps at most `max_records` shares and messages (the oldest go first).
  explicit PoolRecords(size_t max_records) : max_records_(max_records) {}

  void add_share(ShareRecord record);
  void add_received(uint64_t session, const protocol::Incoming& message);
  void connection_opened();
  void connection_closed();

  std::vector<ShareRecord> shares() const;
  ShareCounts counts() const;
  std::vector<ReceivedMessage> received() const;
  size_t connections() const;
  uint64_t connections_total() const;

  bool wait_for_shares(size_t count, std::chrono::milliseconds timeout) const;
  bool wait_for_connections(size_t count, std::chrono::milliseconds timeout) const;
  bool wait_for_method(std::string_view method, size_t count,
                       std::chrono::milliseconds timeout) const;

 private:
  template <class Pred>
  bool wait(std::chrono::milliseconds timeout, Pred done) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, done);
  }

  const size_t max_records_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<ShareRecord> shares_;
  ShareCounts counts_;
  std::deque<ReceivedMessage> received_;
  std::map<std::string, size_t, std::less<>> method_counts_;  ///< "" counts responses
  size_t open_ = 0;
  uint64_t total_ = 0;
};

}  // namespace synthminer::demo_pool
