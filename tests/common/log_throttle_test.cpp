#include "common/log_throttle.h"

#include <gtest/gtest.h>
#include <atomic>
#include <thread>
#include <vector>

namespace synthminer::common {
namespace {

using namespace std::chrono_literals;

/// A clock the test moves by hand.
struct FakeClock {
  LogThrottle::Clock::time_point t{};
  LogThrottle::Now now() {
    return [this] { return t; };
  }
};

size_t logged(LogThrottle& throttle, std::string_view key, size_t times) {
  size_t n = 0;
  for (size_t i = 0; i < times; ++i) n += throttle.admit(key).log;
  return n;
}

TEST(LogThrottle, AFloodLogsOnlyTheBurst) {
  FakeClock clock;
  LogThrottle throttle({.burst = 5, .per_second = 1}, clock.now());
  EXPECT_EQ(logged(throttle, "reject", 100000), 5u);
}

TEST(LogThrottle, TheNextLoggedLineCountsWhatWasHeldBack) {
  FakeClock clock;
  LogThrottle throttle({.burst = 2, .per_second = 1}, clock.now());
  ASSERT_TRUE(throttle.admit("reject"));
  ASSERT_TRUE(throttle.admit("reject"));
  EXPECT_EQ(logged(throttle, "reject", 1234), 0u);
  clock.t += 10s;
  const auto v = throttle.admit("reject");
  ASSERT_TRUE(v);
  EXPECT_EQ(v.suppressed, 1234u);
  EXPECT_EQ(v.suffix(), " (and 1234 more like it in the last 10 s)");
  EXPECT_EQ(throttle.admit("reject").suppressed, 0u);  // reported once
}

TEST(LogThrottle, RefillsAtTheConfiguredRate) {
  FakeClock clock;
  LogThrottle throttle({.burst = 3, .per_second = 2}, clock.now());
  EXPECT_EQ(logged(throttle, "k", 100), 3u);
  clock.t += 1s;  // two more
  EXPECT_EQ(logged(throttle, "k", 100), 2u);
  clock.t += 500ms;  // one more
  EXPECT_EQ(logged(throttle, "k", 100), 1u);
  clock.t += 1h;  // never more than the burst
  EXPECT_EQ(logged(throttle, "k", 100), 3u);
}

TEST(LogThrottle, KeysAreThrottledApart) {
  FakeClock clock;
  LogThrottle throttle({.burst = 1, .per_second = 1}, clock.now());
  EXPECT_EQ(logged(throttle, "reject pool-a", 50), 1u);
  EXPECT_EQ(logged(throttle, "reject pool-b", 50), 1u);
  EXPECT_EQ(logged(throttle, "disconnect pool-a", 50), 1u);
}

TEST(LogThrottle, KeysBeyondTheCapShareOneBucket) {
  FakeClock clock;
  LogThrottle throttle({.burst = 1, .per_second = 1, .max_keys = 2}, clock.now());
  EXPECT_TRUE(throttle.admit("a"));
  EXPECT_TRUE(throttle.admit("b"));
  EXPECT_TRUE(throttle.admit("c"));   // the shared bucket's one token
  EXPECT_FALSE(throttle.admit("d"));  // the same bucket
}

TEST(LogThrottle, NoSuffixWhenNothingWasHeldBack) {
  FakeClock clock;
  LogThrottle throttle({}, clock.now());
  EXPECT_EQ(throttle.admit("k").suffix(), "");
}

TEST(LogThrottle, CountsEveryOccurrenceFromManyThreads) {
  FakeClock clock;  // never moves: only the burst is logged
  LogThrottle throttle({.burst = 10, .per_second = 1}, clock.now());
  std::atomic<size_t> logged_lines{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] { logged_lines += logged(throttle, "k", 10000); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(logged_lines.load(), 10u);
  clock.t += 1s;
  EXPECT_EQ(throttle.admit("k").suppressed, 4u * 10000 - 10);
}

}  // namespace
}  // namespace synthminer::common
