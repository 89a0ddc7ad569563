// The sha256d scanners: the genesis block, exact agreement with the
// reference on random jobs (unaligned starts, odd lengths, the end of the
// nonce space), and the full 256-bit target comparison.
#include <cstring>
#include <random>

#include "hashcore/backend.h"
#include "hashcore/known_vectors.h"
#include "hashcore/scan_constants.h"
#include "tests/hashcore/backend_names.h"

namespace synthminer::hashcore {
namespace {

std::string display_hex(const Digest& d) {  // Bitcoin prints hashes byte-reversed
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    s += kDigits[*it >> 4];
    s += kDigits[*it & 15];
  }
  return s;
}

ScanJob genesis_job(const Target& target) {
  return scan_job_from_header(genesis_header(), target);
}

TEST(ScanReference, GenesisHeaderHashes) {
  const auto header = genesis_header();
  EXPECT_EQ(display_hex(sha256d(header)), kGenesisHashHex);
  EXPECT_EQ(display_hex(header_hash(genesis_job(genesis_target()), kGenesisNonce)),
            kGenesisHashHex);
}

TEST(ScanReference, FindsGenesisNonceOnlyWithinItsRange) {
  const ScanJob job = genesis_job(genesis_target());
  EXPECT_EQ(scan_reference(job, {kGenesisNonce - 500, 1000}).nonces,
            std::vector<uint32_t>{kGenesisNonce});
  EXPECT_TRUE(scan_reference(job, {kGenesisNonce + 1, 1000}).nonces.empty());
}

TEST(ScanReference, RangeIsCutAtTheLastNonce) {
  const ScanResult r = scan_reference(genesis_job(Target::max()), {0xfffffff0u, 100});
  EXPECT_EQ(r.hashes, 16u);
  EXPECT_EQ(r.nonces.size(), 16u);
  EXPECT_EQ(r.nonces.back(), 0xffffffffu);
}

class BackendScan : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendScan, FindsGenesisNonceAtItsDifficulty) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  const PreparedScan prepared = prepare_scan(genesis_job(genesis_target()));
  // Several placements of the nonce within a step of lanes.
  for (uint32_t before : {0u, 1u, 7u, 15u, 16u, 1000u}) {
    const ScanResult r = scan(*backend, prepared, {kGenesisNonce - before, 2000});
    EXPECT_EQ(r.hashes, 2000u);
    EXPECT_EQ(r.nonces, std::vector<uint32_t>{kGenesisNonce}) << "nonce at offset " << before;
  }
}

TEST_P(BackendScan, TargetComparisonUsesAll256Bits) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  // A target equal to the genesis hash passes it; one less does not. The
  // top 32 bits tie, so only the full comparison can tell them apart.
  const Target exact = Target::from_hex(kGenesisHashHex);
  Target below = exact;
  below.limbs[0] -= 1;
  const NonceRange range{kGenesisNonce - 3, 8};
  EXPECT_EQ(scan(*backend, prepare_scan(genesis_job(exact)), range).nonces,
            std::vector<uint32_t>{kGenesisNonce});
  EXPECT_TRUE(scan(*backend, prepare_scan(genesis_job(below)), range).nonces.empty());
}

TEST_P(BackendScan, EmptyAndTinyRanges) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  const ScanJob job = genesis_job(Target::max());
  const PreparedScan prepared = prepare_scan(job);
  EXPECT_EQ(scan(*backend, prepared, {123, 0}).hashes, 0u);
  for (uint64_t count : {1u, 2u, 15u, 17u, 33u}) {
    const ScanResult r = scan(*backend, prepared, {kGenesisNonce, count});
    EXPECT_EQ(r.hashes, count);
    EXPECT_EQ(r.nonces.size(), count);  // every hash meets the maximum target
  }
}

TEST_P(BackendScan, ScansTheLastNonceAndNeverWraps) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  const PreparedScan prepared = prepare_scan(genesis_job(Target::max()));
  const ScanResult r = scan(*backend, prepared, {0xffffffffu - 20, 1000});
  EXPECT_EQ(r.hashes, 21u);
  ASSERT_EQ(r.nonces.size(), 21u);
  EXPECT_EQ(r.nonces.front(), 0xffffffffu - 20);
  EXPECT_EQ(r.nonces.back(), 0xffffffffu);
}

// Random jobs at easy targets: the candidate sets must be identical to the
// reference's over more than 2^20 nonces per backend.
TEST_P(BackendScan, MatchesReferenceOnRandomJobs) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  std::mt19937_64 rng(std::hash<std::string>{}(GetParam()));
  uint64_t compared = 0;
  uint64_t candidates = 0;
  for (int round = 0; round < 4; ++round) {
    ScanJob job;
    for (uint32_t& w : job.midstate) w = static_cast<uint32_t>(rng());
    for (uint8_t& b : job.tail) b = static_cast<uint8_t>(rng());
    job.target = Target::max();
    job.target.limbs[7] =
        0x00400000 | (static_cast<uint32_t>(rng()) & 0x00ffffff);  // 1 in 256..1024
    job.target.limbs[6] = static_cast<uint32_t>(rng());
    const PreparedScan prepared = prepare_scan(job);
    const uint32_t unaligned = static_cast<uint32_t>(rng()) | 1;
    const NonceRange ranges[] = {
        {unaligned, (1u << 17) + 13},                    // unaligned start, odd length
        {0xffffffffu - (1u << 17) - 4, (1u << 17) + 5},  // ends at 2^32 - 1
    };
    for (const NonceRange& range : ranges) {
      const ScanResult want = scan_reference(job, range);
      const ScanResult got = scan(*backend, prepared, range);
      ASSERT_EQ(got.hashes, want.hashes);
      ASSERT_EQ(got.nonces, want.nonces) << "round " << round << " start " << range.start;
      compared += want.hashes;
      candidates += want.nonces.size();
    }
  }
  EXPECT_GE(compared, 1u << 20);
  EXPECT_GT(candidates, 0u);  // the targets were easy enough to test anything
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendScan,
                         ::testing::ValuesIn(testing::compiled_backend_names()),
                         testing::BackendParamName());

TEST(ScanConstants, DependOnlyOnTheJob) {
  const ScanJob job = genesis_job(genesis_target());
  const ScanConstants a = make_scan_constants(job);
  ScanJob other = job;
  other.tail[12] ^= 0xff;  // the nonce bytes are ignored
  const ScanConstants b = make_scan_constants(other);
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
  other.tail[0] ^= 1;
  const ScanConstants c = make_scan_constants(other);
  EXPECT_NE(std::memcmp(&a, &c, sizeof a), 0);
}

}  // namespace
}  // namespace synthminer::hashcore
