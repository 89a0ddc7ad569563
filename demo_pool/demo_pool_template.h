// DemoPool's synthetic block template: jobs with a random previous block, a
// plausible coinbase split around the extranonce slot, a random merkle
// branch, and distinct extranonce1 values for sessions. Deterministic for a
// given seed; not thread-safe (DemoPool uses it on its io thread only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/job.h"

namespace synthminer::demo_pool {

struct TemplateOptions {
  uint32_t version = 0x20000000;
  uint32_t nbits = 0x1c00ffff;    ///< network target of every job (difficulty 256)
  size_t merkle_branch_size = 3;  ///< random branch entries per job
  size_t extranonce_bytes = 8;    ///< extranonce1 + extranonce2, for the coinbase script length
  bool long_job_ids = false;      ///< 16 hex digits (ckpool) instead of a short counter
};

class BlockTemplate {
 public:
  /// `seed` 0 draws a random seed.
  BlockTemplate(TemplateOptions options, uint64_t seed);

  /// The next job. `new_block`: a new random previous hash (the job is
  /// clean); otherwise a fresh coinbase and branch on the current previous
  /// hash. ntime is `ntime` (seconds since the epoch).
  protocol::Job next_job(bool new_block, uint32_t ntime);

  /// An extranonce1 of `size` bytes (0..8) that no earlier call returned
  /// while fewer than 256^size values were handed out.
  std::vector<uint8_t> next_extranonce1(size_t size);

  /// A random 32-bit value in hex, e.g. for subscription ids.
  std::string random_id();

 private:
  protocol::Hash256 random_hash();

  TemplateOptions options_;
  std::mt19937_64 rng_;
  protocol::Hash256 prevhash_{};
  uint32_t height_ = 0;
  uint64_t job_counter_ = 0;
  uint64_t extranonce_salt_ = 0;
  uint64_t extranonce_counter_ = 0;
};

/// mining.notify params: [job_id, prevhash, coinb1, coinb2, [branch...],
/// version, nbits, ntime, clean_jobs], as parse_notify reads them back.
nlohmann::json notify_params(const protocol::Job& job, bool clean_jobs);

/// The current time as a block's ntime: seconds since the epoch.
uint32_t now_ntime();

}  // namespace synthminer::demo_pool
