#include "solo/node_status.h"

#include <utility>

#include "common/printable.h"

namespace synthminer::solo {
namespace {

// Rejection reasons come from the node: kept printable, and few.
constexpr size_t kMaxReasons = 32;

}  // namespace

std::optional<double> NodeSnapshot::template_age_seconds(
    std::chrono::steady_clock::time_point now) const {
  if (!template_at) return std::nullopt;
  return std::chrono::duration<double>(now - *template_at).count();
}

NodeStatus::NodeStatus(size_t pool, std::string pool_name) {
  s_.pool = pool;
  s_.pool_name = std::move(pool_name);
}

void NodeStatus::set_chain(const std::string& chain, uint64_t node_height) {
  std::lock_guard lock(mutex_);
  s_.chain = common::printable(chain, 32);
  s_.node_height = node_height;
}

void NodeStatus::on_template(uint64_t height) {
  std::lock_guard lock(mutex_);
  s_.template_height = height;
  if (height > 0 && height - 1 > s_.node_height) s_.node_height = height - 1;
  s_.template_at = std::chrono::steady_clock::now();
  ++s_.templates;
}

void NodeStatus::on_block_submitted() {
  std::lock_guard lock(mutex_);
  ++s_.blocks_submitted;
}

void NodeStatus::on_block_verdict(bool accepted, const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (accepted) {
    ++s_.blocks_accepted;
    return;
  }
  std::string key = common::printable(reason, 64);
  if (s_.blocks_rejected.count(key) == 0 && s_.blocks_rejected.size() >= kMaxReasons) {
    key = "other";
  }
  ++s_.blocks_rejected[key];
}

bool NodeStatus::first_refusal() {
  std::lock_guard lock(mutex_);
  return !std::exchange(refusal_said_, true);
}

void NodeStatus::on_authorized() {
  std::lock_guard lock(mutex_);
  refusal_said_ = false;
}

NodeSnapshot NodeStatus::snapshot() const {
  std::lock_guard lock(mutex_);
  return s_;
}

std::shared_ptr<NodeStatus> NodeStatusBoard::for_pool(size_t pool, const std::string& pool_name) {
  std::lock_guard lock(mutex_);
  auto& status = statuses_[pool];
  if (!status) status = std::make_shared<NodeStatus>(pool, pool_name);
  return status;
}

std::vector<NodeSnapshot> NodeStatusBoard::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<NodeSnapshot> out;
  for (const auto& [pool, status] : statuses_) out.push_back(status->snapshot());
  return out;
}

}  // namespace synthminer::solo
