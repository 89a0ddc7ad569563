#include "daemon/log_observer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/common/count_substrings.h"
#include "tests/stratum/log_capture.h"

namespace synthminer::daemon {
namespace {

using synthminer::testing::count_substrings;
using stratum::testing::LogCapture;

TEST(LogObserver, AFloodOfBlocksIsLoggedAFewTimesThenCounted) {
  LogCapture log;
  const common::LogThrottle::Clock::time_point now{};  // the flood takes no time at all
  LogObserver observer(
      std::make_shared<common::LogThrottle>(common::LogThrottleOptions{}, [&] { return now; }));
  protocol::Share share;
  for (int i = 0; i < 10000; ++i) observer.on_share_found("cpu", share, 1.0, true);
  observer.on_share_found("cpu", share, 1.0, false);  // a plain share: never logged here
  // The default burst is 5 lines.
  EXPECT_EQ(count_substrings(log.text(), "BLOCK FOUND"), 5u) << log.text().substr(0, 2000);
  // Good news is a notice (info here), never an error or critical line.
  EXPECT_EQ(count_substrings(log.text(), "info BLOCK FOUND"), 5u);
}

TEST(LogObserver, TheLinesHeldBackAreCountedOnTheNextOneLogged) {
  LogCapture log;
  common::LogThrottle::Clock::time_point now{};
  auto throttle = std::make_shared<common::LogThrottle>(common::LogThrottleOptions{1, 1, 16},
                                                        [&] { return now; });
  LogObserver observer(throttle);
  for (int i = 0; i < 100; ++i) observer.on_hardware_error("cpu", "bad nonce");
  now += std::chrono::seconds(2);
  observer.on_hardware_error("cpu", "bad nonce");
  EXPECT_EQ(count_substrings(log.text(), "hardware error on cpu"), 2u) << log.text();
  EXPECT_TRUE(log.contains("(and 99 more like it in the last 2 s)")) << log.text();
}

TEST(LogObserver, AJobIdCannotForgeAJournalEntryOrAnEscape) {
  LogCapture log;
  LogObserver observer;
  protocol::WorkItem e;
  e.pool_name = "pool";
  e.job.job_id = "j1\n<3>forged critical\x1b[31m";
  e.job.clean_jobs = true;
  observer.on_job(e);
  const std::string text = log.text();
  ASSERT_TRUE(log.contains("new job j1")) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
}

}  // namespace
}  // namespace synthminer::daemon
