#include "daemon/demo_console.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/common/count_substrings.h"

namespace synthminer::daemon {
namespace {

using synthminer::testing::count_substrings;
using namespace std::chrono_literals;

// A console writing into memory, on a clock the test moves.
class Console {
 public:
  explicit Console(bool verbose) : out_(open_memstream(&buffer_, &size_)) {
    DemoConsoleOptions options;
    options.jobs = 3;
    options.verbose = verbose;
    options.now = [this] { return now_; };
    options.out = out_;
    console_.emplace(DemoConsole::Clock::now(), options);
  }
  ~Console() {
    std::fclose(out_);
    std::free(buffer_);
  }
  DemoConsole& operator*() { return *console_; }
  DemoConsole* operator->() { return &*console_; }
  void advance(std::chrono::milliseconds d) { now_ += d; }
  std::string text() {
    std::fflush(out_);
    return std::string(buffer_, size_);
  }
  // Finds share `i` and has the pool answer it with `fate`.
  void share(uint32_t i, protocol::ShareFate fate = protocol::ShareFate::kAccepted) {
    protocol::ShareResult result;
    result.share.job_id = "job_1";
    result.share.nonce = i;
    result.fate = fate;
    result.reason = fate == protocol::ShareFate::kAccepted ? "" : "low difficulty";
    console_->on_share_found("cpu0", result.share, 2.0, false);
    console_->on_share_result(result);
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* out_;
  common::LogThrottle::Clock::time_point now_{};
  std::optional<DemoConsole> console_;
};

TEST(DemoConsole, SlowSharesArePrintedOneByOne) {
  Console console(false);
  for (uint32_t i = 0; i < 10; ++i) {
    console.share(i);
    console.advance(1s);
  }
  const std::string text = console.text();
  EXPECT_EQ(count_substrings(text, "Share found!"), 10u) << text;
  EXPECT_EQ(count_substrings(text, "Share accepted"), 10u) << text;
  EXPECT_EQ(console->folded_shares(), 0u);
}

TEST(DemoConsole, AFloodIsFoldedIntoTheStatusLine) {
  Console console(false);
  for (uint32_t i = 0; i < 400; ++i) {
    console.share(i);
    console.advance(10ms);  // 100 shares a second for 4 s
  }
  console->print_status(4.0, 5e6, 400, 20'000'000);
  const std::string text = console.text();
  // A burst of 5, then 1 a second for 3.99 s: 8 of 400 printed, each with
  // its answer.
  const size_t printed = count_substrings(text, "Share found!");
  EXPECT_EQ(printed, 8u) << text;
  EXPECT_EQ(count_substrings(text, "Share accepted"), printed);
  EXPECT_EQ(console->folded_shares(), 400u - printed);
  EXPECT_NE(text.find("📈 Status @ 4.0s: 5.00 MH/s, 400 shares, 20,000,000 hashes (" +
                      std::to_string(400 - printed) +
                      " found since the last status not listed; --verbose lists each)"),
            std::string::npos)
      << text;
  // The next status line counts only what was folded after this one.
  console->print_status(5.0, 5e6, 400, 25'000'000);
  EXPECT_NE(console.text().find("25,000,000 hashes\n"), std::string::npos);
}

TEST(DemoConsole, VerboseListsEveryShare) {
  Console console(true);
  for (uint32_t i = 0; i < 400; ++i) console.share(i);
  const std::string text = console.text();
  EXPECT_EQ(count_substrings(text, "Share found!"), 400u);
  EXPECT_EQ(count_substrings(text, "Share accepted"), 400u);
  EXPECT_EQ(console->folded_shares(), 0u);
}

TEST(DemoConsole, BlocksAndRejectionsAreNotLostInAFlood) {
  Console console(false);
  for (uint32_t i = 0; i < 100; ++i) console.share(i);  // the burst is spent
  protocol::Share block;
  block.nonce = 0xb10c;
  console->on_share_found("cpu1", block, 1e12, true);
  console.share(1000, protocol::ShareFate::kRejected);  // folded found line, printed answer
  const std::string text = console.text();
  EXPECT_NE(text.find("🧱 BLOCK Share found! device=cpu1, nonce=0000b10c"), std::string::npos)
      << text;
  EXPECT_NE(text.find("❌ Share rejected (nonce=000003e8): low difficulty"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace synthminer::daemon
