// The CUDA backend on a real device (ctest label "gpu"). Every test skips
// itself where no CUDA device can be opened.
#include <gtest/gtest.h>

#include <future>
#include <random>
#include <thread>

#include "hashcore/cuda/cuda_scanner.h"
#include "hashcore/known_vectors.h"
#include "hashcore/selftest.h"

namespace synthminer::hashcore::cuda {
namespace {

std::unique_ptr<CudaScanner> open_or_skip() {
  std::string error;
  auto scanner = CudaScanner::open(0, error);
  if (!scanner) GTEST_LOG_(INFO) << "skipping: " << error;
  return scanner;
}

#define OPEN_OR_SKIP(var)    \
  auto var = open_or_skip(); \
  if (!var) GTEST_SKIP() << "no CUDA device"

ScanJob random_job(std::mt19937_64& rng, uint32_t target_top) {
  ScanJob job;
  for (uint32_t& w : job.midstate) w = static_cast<uint32_t>(rng());
  for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng());
  job.target = Target::max();
  job.target.limbs[7] = target_top;
  job.target.limbs[6] = static_cast<uint32_t>(rng());
  return job;
}

// The CPU's best backend over the same range, split across all cores.
ScanResult cpu_scan(const PreparedScan& prepared, NonceRange range) {
  std::string error;
  const auto dispatch = Dispatch::create(std::nullopt, error);
  const unsigned parts = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::future<ScanResult>> futures;
  const uint64_t step = (range.count + parts - 1) / parts;
  for (uint64_t off = 0; off < range.count; off += step) {
    const NonceRange part{range.start + static_cast<uint32_t>(off),
                          std::min(step, range.count - off)};
    futures.push_back(std::async(std::launch::async,
                                 [&, part] { return scan(dispatch->chosen(), prepared, part); }));
  }
  ScanResult all;
  for (auto& f : futures) {
    ScanResult r = f.get();
    all.hashes += r.hashes;
    all.nonces.insert(all.nonces.end(), r.nonces.begin(), r.nonces.end());
  }
  return all;
}

TEST(CudaScanner, AnUnknownKernelShapeIsNamed) {
  // Checked before any device is opened: this runs without a GPU too.
  std::string error;
  EXPECT_EQ(CudaScanner::open(0, error, "t999x9"), nullptr);
  EXPECT_NE(error.find("\"t999x9\""), std::string::npos) << error;
  ASSERT_FALSE(cuda_kernel_shapes().empty());
  for (const auto& shape : cuda_kernel_shapes()) {
    EXPECT_GT(shape.threads, 0u);
    EXPECT_LE(shape.threads, 512u) << shape.name;  // the kernels' launch bound
    EXPECT_GT(shape.nonces_per_thread, 0u);
  }
}

TEST(CudaScanner, GenesisNonce) {
  OPEN_OR_SKIP(gpu);
  const auto prepared = prepare_scan(scan_job_from_header(genesis_header(), genesis_target()));
  std::string error;
  const auto r = gpu->scan(prepared, {kGenesisNonce - 5000, 1 << 20}, error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->nonces, std::vector<uint32_t>{kGenesisNonce});
}

TEST(CudaScanner, MatchesTheCpuOverAGigaNonce) {
  OPEN_OR_SKIP(gpu);
  std::mt19937_64 rng(7);
  const auto prepared = prepare_scan(random_job(rng, 0x000fffff));  // ~1 in 4096
  for (const NonceRange range : {NonceRange{12345, uint64_t{1} << 30},
                                 NonceRange{0xffffffffu - (1u << 24), (1u << 24) + 1}}) {
    std::string error;
    const auto got = gpu->scan(prepared, range, error);
    ASSERT_TRUE(got) << error;
    const ScanResult want = cpu_scan(prepared, range);
    EXPECT_EQ(got->hashes, want.hashes);
    EXPECT_EQ(got->nonces, want.nonces);
    EXPECT_GT(want.nonces.size(), 0u);
  }
}

TEST(CudaScanner, PlantedTarget) {
  OPEN_OR_SKIP(gpu);
  std::mt19937_64 rng(11);
  ScanJob job = random_job(rng, 0);
  const auto planted = 0x00100000u + static_cast<uint32_t>(rng() % 0xffc00000u);
  // A target equal to the planted nonce's hash: it must be found.
  job.target = Target::from_hash(header_hash(job, planted));
  std::string error;
  const auto r = gpu->scan(prepare_scan(job), {planted - 1000000, 2000000}, error);
  ASSERT_TRUE(r) << error;
  EXPECT_NE(std::find(r->nonces.begin(), r->nonces.end(), planted), r->nonces.end());
  for (uint32_t n : r->nonces) EXPECT_TRUE(meets_target(header_hash(job, n), job.target));
}

TEST(CudaScanner, RepeatedLaunchesAgree) {
  OPEN_OR_SKIP(gpu);
  std::mt19937_64 rng(13);
  const auto prepared = prepare_scan(random_job(rng, 0x003fffff));
  std::string error;
  const auto first = gpu->scan(prepared, {0, 1 << 26}, error);
  ASSERT_TRUE(first) << error;
  for (int i = 0; i < 5; ++i) {
    const auto again = gpu->scan(prepared, {0, 1 << 26}, error);
    ASSERT_TRUE(again) << error;
    EXPECT_EQ(again->nonces, first->nonces);
  }
}

TEST(CudaScanner, OverflowingHitBufferLosesNothing) {
  OPEN_OR_SKIP(gpu);
  std::mt19937_64 rng(17);
  const auto prepared = prepare_scan(random_job(rng, 0x0fffffff));  // 1 in 16: 2^20 hits
  std::string error;
  const auto got = gpu->scan(prepared, {1000, 1 << 24}, error);
  ASSERT_TRUE(got) << error;
  EXPECT_EQ(got->nonces, cpu_scan(prepared, {1000, 1 << 24}).nonces);
}

TEST(CudaScanner, EveryKernelShapeFindsWhatTheCpuFinds) {
  std::mt19937_64 rng(19);
  const auto prepared = prepare_scan(random_job(rng, 0x000fffff));
  const NonceRange range{0x89abcdefu, uint64_t{1} << 26};
  const ScanResult want = cpu_scan(prepared, range);
  ASSERT_GT(want.nonces.size(), 0u);
  for (const auto& shape : cuda_kernel_shapes()) {
    std::string error;
    auto gpu = CudaScanner::open(0, error, shape.name);
    if (!gpu) GTEST_SKIP() << error;
    const auto got = gpu->scan(prepared, range, error);
    ASSERT_TRUE(got) << shape.name << ": " << error;
    EXPECT_EQ(got->hashes, want.hashes) << shape.name;
    EXPECT_EQ(got->nonces, want.nonces) << shape.name;
  }
}

TEST(CudaScanner, VersionRollsFindWhatTheCpuFindsForEachHeader) {
  OPEN_OR_SKIP(gpu);
  std::mt19937_64 rng(23);
  const ScanJob base = random_job(rng, 0x003fffff);
  std::vector<PreparedScan> headers;
  for (int i = 0; i < 7; ++i) {  // 7: groups of 4, 2 and 1 at 4 per thread
    ScanJob roll = base;
    for (uint32_t& w : roll.midstate) w = static_cast<uint32_t>(rng());
    headers.push_back(prepare_scan(roll));
  }
  const NonceRange range{0xffffffffu - (1u << 23), (1u << 23) + 1};
  std::vector<ScanResult> want;
  for (const auto& h : headers) want.push_back(cpu_scan(h, range));
  for (const auto& shape : cuda_kernel_shapes()) {
    std::string error;
    auto shaped = CudaScanner::open(0, error, shape.name);
    ASSERT_TRUE(shaped) << error;
    for (const unsigned per_thread : {1u, 2u, 4u, 8u}) {
      const auto got = shaped->scan_rolls(headers, range, per_thread, error);
      ASSERT_TRUE(got) << error;
      ASSERT_EQ(got->size(), headers.size());
      for (size_t i = 0; i < headers.size(); ++i) {
        EXPECT_EQ((*got)[i].hashes, want[i].hashes);
        EXPECT_EQ((*got)[i].nonces, want[i].nonces)
            << shape.name << ", " << per_thread << " per thread, header " << i;
        EXPECT_GT(want[i].nonces.size(), 0u);
      }
    }
  }
}

TEST(CudaScanner, RollsOfAnotherHeaderAreRefused) {
  OPEN_OR_SKIP(gpu);
  std::mt19937_64 rng(29);
  std::vector<PreparedScan> headers{prepare_scan(random_job(rng, 0x00ffffff)),
                                    prepare_scan(random_job(rng, 0x00ffffff))};
  std::string error;
  EXPECT_FALSE(gpu->scan_rolls(headers, {0, 1 << 20}, 2, error));
  EXPECT_NE(error.find("roll 1"), std::string::npos) << error;
}

}  // namespace
}  // namespace synthminer::hashcore::cuda
