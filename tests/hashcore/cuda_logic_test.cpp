// The CUDA kernel's arithmetic (hashcore/cuda/sha256d_device.h), compiled
// here as host C++: tested on every CI run, GPU or not.
#include <gtest/gtest.h>

#include <random>

#include "hashcore/cuda/sha256d_device.h"
#include "hashcore/known_vectors.h"
#include "hashcore/scan_constants.h"

namespace synthminer::hashcore::cuda {
namespace {

// What the device does for a range, then what the host does with its hits.
ScanResult scan_like_the_gpu(const ScanJob& job, NonceRange range) {
  const ScanConstants k = make_scan_constants(job);
  ScanResult r;
  const uint64_t end = range.start + std::min<uint64_t>(range.count, (1ull << 32) - range.start);
  for (uint64_t n = range.start; n < end; ++n) {
    const auto nonce = static_cast<uint32_t>(n);
    if (DeviceScan::passes(k, nonce) && meets_target(header_hash(job, nonce), job.target)) {
      r.nonces.push_back(nonce);
    }
  }
  r.hashes = end - range.start;
  return r;
}

TEST(CudaKernelLogic, FindsTheGenesisNonce) {
  const ScanJob job = scan_job_from_header(genesis_header(), genesis_target());
  const ScanConstants k = make_scan_constants(job);
  EXPECT_TRUE(DeviceScan::passes(k, kGenesisNonce));
  EXPECT_EQ(scan_like_the_gpu(job, {kGenesisNonce - 100, 200}).nonces,
            std::vector<uint32_t>{kGenesisNonce});
}

TEST(CudaKernelLogic, MatchesTheReferenceOnRandomJobs) {
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 3; ++round) {
    ScanJob job;
    for (uint32_t& w : job.midstate) w = static_cast<uint32_t>(rng());
    for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng());
    job.target = Target::max();
    job.target.limbs[7] = 0x00400000 | (static_cast<uint32_t>(rng()) & 0x00ffffff);
    job.target.limbs[6] = static_cast<uint32_t>(rng());
    for (const NonceRange range : {NonceRange{static_cast<uint32_t>(rng()), 40000},
                                   NonceRange{0xffffffffu - 30000, 30001}}) {
      const ScanResult want = scan_reference(job, range);
      const ScanResult got = scan_like_the_gpu(job, range);
      EXPECT_EQ(got.hashes, want.hashes);
      ASSERT_EQ(got.nonces, want.nonces) << "round " << round << " start " << range.start;
      EXPECT_FALSE(want.nonces.empty());
    }
  }
}

}  // namespace
}  // namespace synthminer::hashcore::cuda
