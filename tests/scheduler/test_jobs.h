// A synthetic job for the scheduler tests.
#pragma once

#include <string>
#include <utility>

#include "scheduler/job_context.h"

namespace synthminer::scheduler::testing {

/// Hashes meet it with probability about 1/256.
inline hashcore::Target easy_target() {
  hashcore::Target target = hashcore::Target::max();
  target.limbs[7] = 0x00ffffff;
  return target;
}

inline protocol::WorkItem test_job(std::string id = "j1", uint32_t extranonce2_size = 4,
                                   uint32_t version_mask = 0, bool clean = true) {
  protocol::WorkItem in;
  in.job.job_id = std::move(id);
  for (size_t i = 0; i < in.job.prevhash.size(); ++i) in.job.prevhash[i] = static_cast<uint8_t>(i);
  in.job.coinb1 = {0x01, 0x00, 0x00, 0x00, 0x01, 0xaa, 0xbb};
  in.job.coinb2 = {0xcc, 0xdd, 0xee, 0xff};
  in.job.merkle_branch.push_back(protocol::Hash256{});
  in.job.merkle_branch.back()[0] = 0x42;
  in.job.version = 0x20000000;
  in.job.nbits = 0x1d00ffff;  // difficulty 1: a test never finds a block by chance
  in.job.ntime = 0x5f000000;
  in.job.clean_jobs = clean;
  in.extranonce = {{0xde, 0xad, 0xbe, 0xef}, extranonce2_size};
  in.share_target = easy_target();
  in.version_mask = version_mask;
  return in;
}

}  // namespace synthminer::scheduler::testing
