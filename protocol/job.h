// The value types of the protocol: a Job (one mining.notify) and a Share
// (one mining.submit). WorkItem (work_item.h) carries a Job to the scheduler.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace synthminer::protocol {

using Hash256 = std::array<uint8_t, 32>;

struct Job {
  std::string job_id;
  Hash256 prevhash{};                   ///< as sent: 8 big-endian-swapped 4-byte words
  std::vector<uint8_t> coinb1, coinb2;  ///< coinbase around the extranonces
  std::vector<Hash256> merkle_branch;   ///< as sent, folded in order
  uint32_t version = 0;
  uint32_t nbits = 0;
  uint32_t ntime = 0;
  bool clean_jobs = false;
};

/// What a session contributes to every job's coinbase.
struct Extranonce {
  std::vector<uint8_t> extranonce1;  ///< may be empty (p2pool)
  uint32_t extranonce2_size = 0;     ///< bytes, 0..16
};

struct Share {
  std::string job_id;
  std::vector<uint8_t> extranonce2;
  uint32_t ntime = 0;
  uint32_t nonce = 0;
  std::optional<uint32_t> version_bits;  ///< only the bits inside the rolling mask
};

}  // namespace synthminer::protocol
