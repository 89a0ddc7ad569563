// ConfigReloader: the file is read on a helper thread and the verdict comes
// back on the io thread; one reload at a time.
#include "daemon/config_reloader.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "config/load.h"

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

json base_config() {
  return {{"pools", json::array({{{"url", "stratum+tcp://127.0.0.1:3333"}, {"user", "w"}}})},
          {"devices", {{"cpu", {{"threads", 1}}}, {"cuda", {{"enabled", false}}}}}};
}

class ConfigReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("reloader-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
    write(base_config().dump());
    auto loaded = config::load_config_file(path_.string());
    ASSERT_TRUE(loaded) << loaded.error().message();
    running_ = std::move(loaded).value();
  }
  void TearDown() override { std::filesystem::remove(path_); }
  void write(const std::string& text) { std::ofstream(path_) << text; }

  /// Runs io until `done` (at most 10 s); the loop may run out of work
  /// while the helper thread reads.
  template <typename Done>
  void run_until(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
  }

  /// Requests a reload and runs io until its verdict arrives.
  Reloaded reload() {
    std::optional<Reloaded> got;
    const bool started =
        reloader_.request(path_.string(), running_, {}, [&](Reloaded r) { got = std::move(r); });
    EXPECT_TRUE(started);
    run_until([&] { return got.has_value(); });
    EXPECT_TRUE(got) << "no verdict";
    return got ? std::move(*got) : Reloaded{};
  }

  boost::asio::io_context io_;
  ConfigReloader reloader_{io_};
  std::filesystem::path path_;
  config::Config running_;
};

TEST_F(ConfigReloaderTest, AnUnchangedFileIsValidAndBuildsNoDevices) {
  const Reloaded r = reload();
  ASSERT_TRUE(r.config) << r.error;
  EXPECT_FALSE(r.devices);
  EXPECT_FALSE(reloader_.running());
}

TEST_F(ConfigReloaderTest, ChangedDevicesAreBuiltOnTheHelperThread) {
  json changed = base_config();
  changed["devices"]["cpu"]["threads"] = 2;
  write(changed.dump());
  const Reloaded r = reload();
  ASSERT_TRUE(r.config) << r.error;
  ASSERT_TRUE(r.devices);
  EXPECT_EQ(r.devices->devices.size(), 2u);
}

TEST_F(ConfigReloaderTest, AnInvalidFileIsRefusedWithItsJsonPath) {
  json bad = base_config();
  bad["devices"]["cpu"]["threads"] = "many";
  write(bad.dump());
  const Reloaded r = reload();
  EXPECT_FALSE(r.config);
  EXPECT_NE(r.error.find("/devices/cpu/threads"), std::string::npos) << r.error;
}

TEST_F(ConfigReloaderTest, NoDeviceLeftIsRefused) {
  json none = base_config();
  none["devices"]["cpu"]["enabled"] = false;
  write(none.dump());
  const Reloaded r = reload();
  EXPECT_FALSE(r.config);
  EXPECT_NE(r.error.find("/devices"), std::string::npos) << r.error;
}

TEST_F(ConfigReloaderTest, ASecondRequestWhileOneRunsIsFoldedIntoIt) {
  int verdicts = 0;
  ASSERT_TRUE(reloader_.request(path_.string(), running_, {}, [&](Reloaded) { ++verdicts; }));
  EXPECT_TRUE(reloader_.running());
  EXPECT_FALSE(reloader_.request(path_.string(), running_, {}, [&](Reloaded) { ++verdicts; }));
  run_until([&] { return verdicts > 0; });
  reloader_.join();
  io_.restart();
  io_.poll();
  EXPECT_EQ(verdicts, 1);
  EXPECT_FALSE(reloader_.running());
}

}  // namespace
}  // namespace synthminer::daemon
