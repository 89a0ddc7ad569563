#include <utility>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <thread>

#include "http/io_loop.h"

namespace synthminer::http {
namespace {

using namespace std::chrono_literals;

TEST(IoLoop, RunsAReadyHandlerWithOrWithoutPolling) {
  for (auto poll : {0us, 500us}) {
    boost::asio::io_context io;
    IoLoop loop(io, poll);
    int ran = 0;
    boost::asio::post(io, [&] { ++ran; });
    boost::asio::post(io, [&] { ++ran; });
    EXPECT_EQ(loop.run_one_for(1000ms), 1u);
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(loop.run_one_for(1000ms), 1u);
    EXPECT_EQ(ran, 2);
  }
}

TEST(IoLoop, WithNothingToRunItReturnsZero) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  IoLoop loop(io, 200us);
  boost::asio::post(io, [] {});
  EXPECT_EQ(loop.run_one_for(1000ms), 1u);
  // The poll window after that handler ends, then the bounded block does.
  EXPECT_EQ(loop.run_one_for(10ms), 0u);
  EXPECT_FALSE(io.stopped());
}

TEST(IoLoop, AHandlerPostedFromAnotherThreadIsRunWhilePolling) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  IoLoop loop(io, 50ms);
  boost::asio::post(io, [] {});
  ASSERT_EQ(loop.run_one_for(1000ms), 1u);  // opens the window
  std::atomic<bool> ran{false};
  std::thread poster([&] { boost::asio::post(io, [&] { ran = true; }); });
  std::size_t total = 0;
  while (!ran && total < 2) total += loop.run_one_for(1000ms);
  poster.join();
  EXPECT_TRUE(ran);
}

TEST(IoLoop, AStoppedContextEndsThePolling) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  IoLoop loop(io, 10s);
  boost::asio::post(io, [&] { io.stop(); });
  EXPECT_EQ(loop.run_one_for(1000ms), 1u);
  // Would poll for 10 s if it ignored the stop.
  EXPECT_EQ(loop.run_one_for(1000ms), 0u);
}

}  // namespace
}  // namespace synthminer::http
