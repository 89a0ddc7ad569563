#include "daemon/cli.h"

#include <gtest/gtest.h>

#include <vector>

namespace synthminer::daemon {
namespace {

CliParse parse(std::vector<const char*> args) {
  args.insert(args.begin(), "synthminerd");
  return parse_cli(static_cast<int>(args.size()), args.data());
}

TEST(Cli, Commands) {
  EXPECT_EQ(parse({"--version"}).options->command, Command::kVersion);
  EXPECT_EQ(parse({"--selftest"}).options->command, Command::kSelftest);
  EXPECT_EQ(parse({"--help"}).options->command, Command::kHelp);
}

TEST(Cli, BenchmarkOptions) {
  const CliParse p =
      parse({"--benchmark", "--backend", "avx2", "--threads", "3", "--seconds", "1.5"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->command, Command::kBenchmark);
  EXPECT_EQ(p.options->backend, "avx2");
  EXPECT_EQ(p.options->threads, 3u);
  EXPECT_DOUBLE_EQ(p.options->seconds, 1.5);
}

TEST(Cli, CudaBenchmarkOptions) {
  CliParse p = parse({"--benchmark", "--backend", "cuda", "--cuda-kernel", "all", "--rolls", "4"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->backend, "cuda");
  EXPECT_EQ(p.options->cuda_kernel, "all");
  EXPECT_EQ(p.options->rolls, 4u);
  p = parse({"--benchmark", "--rolls", "all"});
  ASSERT_TRUE(p.options) << p.error;
  EXPECT_EQ(p.options->rolls, 0u);
  EXPECT_EQ(parse({"--benchmark"}).options->rolls, 1u);
  for (const char* bad : {"0", "17", "4x", ""}) {
    EXPECT_NE(parse({"--benchmark", "--rolls", bad}).error.find("--rolls"), std::string::npos)
        << bad;
  }
}

TEST(Cli, ErrorsSayWhatWasWrong) {
  EXPECT_NE(parse({}).error.find("no command"), std::string::npos);
  EXPECT_NE(parse({"--selftest", "--benchmark"}).error.find("one command"), std::string::npos);
  EXPECT_NE(parse({"--benchmark", "--threads", "0"}).error.find("--threads"), std::string::npos);
  EXPECT_NE(parse({"--benchmark", "--seconds", "-1"}).error.find("--seconds"), std::string::npos);
  EXPECT_NE(parse({"--benchmark", "--threads", "many"}).error.find("threads"), std::string::npos);
  EXPECT_FALSE(parse({"--frobnicate"}).options.has_value());
}

}  // namespace
}  // namespace synthminer::daemon
