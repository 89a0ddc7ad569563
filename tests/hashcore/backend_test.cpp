// Backend selection: CPU detection, the start-up self-test (which must catch
// a broken backend), and the SYNTHMINER_HASHCORE-style override.
#include "hashcore/selftest.h"
#include "tests/hashcore/backend_names.h"

namespace synthminer::hashcore {
namespace {

TEST(CpuFeatures, DescribesWhatItFound) {
  const CpuFeatures cpu = detect_cpu_features();
  EXPECT_FALSE(cpu.brand.empty());
  const std::string text = describe(cpu);
  EXPECT_EQ(text.find("avx512") != std::string::npos, cpu.avx512);
  EXPECT_EQ(text.find("sha_ni") != std::string::npos, cpu.sha_ni);
}

TEST(Backends, ScalarIsAlwaysCompiledAndLast) {
  const auto backends = compiled_backends();
  ASSERT_FALSE(backends.empty());
  EXPECT_EQ(backends.back().name, "scalar");
  EXPECT_EQ(find_backend("scalar"), &backends.back());
  EXPECT_EQ(find_backend("nonsense"), nullptr);
}

class BackendSelfTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendSelfTest, Passes) {
  SYNTHMINER_BACKEND_OR_SKIP(backend, GetParam());
  EXPECT_EQ(self_test(*backend), "");
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendSelfTest,
                         ::testing::ValuesIn(testing::compiled_backend_names()),
                         testing::BackendParamName());

// Broken variants of the scalar backend: the self-test must reject each.
uint64_t scan_that_drops_hits(const ScanConstants& k, uint32_t start, uint64_t count,
                              PrefilterHits& hits) {
  const uint64_t done = find_backend("scalar")->scan_kernel(k, start, count, hits);
  if (hits.size > 0) --hits.size;
  return done;
}

void compress_that_flips_a_bit(uint32_t* state, const uint8_t* const* blocks) {
  find_backend("scalar")->compress_lanes(state, blocks);
  state[3] ^= 0x100;
}

TEST(BackendSelfTest, RejectsABackendThatLosesCandidates) {
  Backend broken = *find_backend("scalar");
  broken.scan_kernel = scan_that_drops_hits;
  EXPECT_NE(self_test(broken), "");
}

TEST(BackendSelfTest, RejectsABackendWithWrongCompression) {
  Backend broken = *find_backend("scalar");
  broken.compress_lanes = compress_that_flips_a_bit;
  EXPECT_NE(self_test(broken).find("compression"), std::string::npos);
}

TEST(Dispatch, PicksTheFirstUsableBackendInPreferenceOrder) {
  std::string error;
  const auto d = Dispatch::create(std::nullopt, error);
  ASSERT_TRUE(d.has_value()) << error;
  for (const BackendStatus& s : d->statuses()) {
    if (s.usable()) {
      EXPECT_EQ(&d->chosen(), s.backend);
      break;
    }
  }
  EXPECT_EQ(d->statuses().size(), compiled_backends().size());
}

TEST(Dispatch, OverrideChoosesTheNamedBackend) {
  std::string error;
  const auto d = Dispatch::create(std::string("scalar"), error);
  ASSERT_TRUE(d.has_value()) << error;
  EXPECT_EQ(d->chosen().name, "scalar");
}

TEST(Dispatch, UnknownOverrideIsAnErrorThatNamesTheChoices) {
  std::string error;
  EXPECT_FALSE(Dispatch::create(std::string("sse9"), error).has_value());
  EXPECT_NE(error.find("'sse9'"), std::string::npos);
  EXPECT_NE(error.find("scalar"), std::string::npos);
}

TEST(Dispatch, OverrideTheCpuCannotRunIsAnError) {
  const CpuFeatures cpu = detect_cpu_features();
  for (const Backend& b : compiled_backends()) {
    if (b.supported(cpu)) continue;
    std::string error;
    EXPECT_FALSE(Dispatch::create(std::string(b.name), error).has_value());
    EXPECT_NE(error.find("cannot be used"), std::string::npos);
    return;
  }
  GTEST_SKIP() << "this CPU supports every compiled backend";
}

}  // namespace
}  // namespace synthminer::hashcore
