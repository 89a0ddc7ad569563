#include "stratum/sent_shares.h"

#include <functional>
#include <string>

namespace synthminer::stratum {

namespace {

void append_u32(std::string& key, uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) key.push_back(static_cast<char>(v >> shift));
}

std::string key_of(uint64_t session, const protocol::Share& share) {
  std::string key;
  for (int shift = 0; shift < 64; shift += 8) key.push_back(static_cast<char>(session >> shift));
  append_u32(key, share.ntime);
  append_u32(key, share.nonce);
  key.push_back(share.version_bits ? 1 : 0);
  append_u32(key, share.version_bits.value_or(0));
  key.push_back(static_cast<char>(share.extranonce2.size()));
  key.append(share.extranonce2.begin(), share.extranonce2.end());
  key.append(share.job_id);  // last: the fixed-size fields before it delimit it
  return key;
}

}  // namespace

bool SentShares::insert(uint64_t session, const protocol::Share& share) {
  const uint64_t key = std::hash<std::string>{}(key_of(session, share));
  if (!keys_.insert(key).second) return false;
  order_.push_back(key);
  while (order_.size() > capacity_) {
    keys_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

}  // namespace synthminer::stratum
