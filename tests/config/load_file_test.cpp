#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/load.h"

namespace synthminer::config {
namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  const auto path =
      std::filesystem::temp_directory_path() /
      ("synthminer_config_test_" +
       std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(ConfigFile, MissingFileNamesThePathAndTheReason) {
  const std::string path = "/nonexistent/synthminer/config.json";
  const auto config = load_config_file(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().file, path);
  EXPECT_EQ(config.error().message(), path + ": cannot open: No such file or directory");
}

TEST(ConfigFile, DirectoryIsRefused) {
  const auto config = load_config_file(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().file, std::filesystem::temp_directory_path().string());
  EXPECT_EQ(config.error().reason, "is a directory");
}

TEST(ConfigFile, ErrorsInsideTheFileNameFileAndJsonPath) {
  const std::string path =
      temp_file("bad.json", R"({"pools": [{"url": "stratum+tcp://h:1", "user": "u", "x": 1}]})");
  const auto config = load_config_file(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message(), path + ": /pools/0/x: unknown key");
}

TEST(ConfigFile, GoodFileLoads) {
  const std::string path =
      temp_file("good.json", R"({"pools": [{"url": "stratum+tcp://h:1", "user": "u"}]})");
  const auto config = load_config_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->pools.at(0).user, "u");
}

TEST(ConfigFile, ExampleFromTheSourceTreeParses) {
  const auto config = load_config_file(SYNTHMINER_EXAMPLE_CONFIG);
  ASSERT_TRUE(config.ok()) << config.error().message();
  ASSERT_EQ(config->pools.size(), 2u);
  EXPECT_EQ(config->pools[0].url, "stratum+tcp://pool.example.com:3333");
  EXPECT_EQ(config->pools[1].tls.ca_file, "/etc/synthminer/pool-ca.pem");
  EXPECT_EQ(config->devices.cpu.affinity, (std::vector<uint32_t>{0, 1, 2, 3}));
  // The example lists the defaults: apart from the pools and the optional
  // lists, it is the default config.
  Config defaults;
  defaults.pools = config->pools;
  defaults.devices.cpu.affinity = config->devices.cpu.affinity;
  defaults.devices.cuda.devices = config->devices.cuda.devices;
  // Marked otherwise in the file: the service's disk tier is on.
  EXPECT_EQ(config->vgpu.cache_file, "/var/cache/synthminer/vgpu-cache.sqlite");
  defaults.vgpu.cache_file = config->vgpu.cache_file;
  EXPECT_EQ(*config, defaults);
}

}  // namespace
}  // namespace synthminer::config
