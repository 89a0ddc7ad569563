// The client's drain_and_stop: the shares in flight get their answers, up to
// the drain's deadline, then the client stops and says so once.
#include <gtest/gtest.h>

#include "client_test_util.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;
using testing::run_until;

class ClientDrain : public testing::ClientAgainstDemoPool {
 protected:
  /// Submits one valid share of the latest job; the pool answers after `delay`.
  void submit_one_answered_after(std::chrono::milliseconds delay) {
    pool->set_response_delay(delay);
    const protocol::WorkItem& job = rec.jobs.back();
    const auto share = testing::find_share(job);
    ASSERT_TRUE(share);
    client->submit(*share, job.session);
    ASSERT_TRUE(run_until(io, [&] { return client->share_stats(0).found == 1; }));
  }
  int drained = 0;
};

TEST_F(ClientDrain, WaitsForTheAnswerToAShareInFlight) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  submit_one_answered_after(300ms);  // an immediate stop would end it "disconnected"
  client->drain_and_stop(10s, [&] { ++drained; });
  ASSERT_TRUE(run_until(
      io, [&] { return drained > 0; }, 5s));
  ASSERT_EQ(rec.results.size(), 1u);
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted) << rec.results[0].reason;
  EXPECT_EQ(client->share_stats(0).pending, 0u);
  // Stopped: a later share is not sent and the listener hears nothing.
  client->submit(*testing::find_share(rec.jobs.back(), 1000), rec.jobs.back().session);
  testing::run_for(io, 50ms);
  EXPECT_EQ(rec.results.size(), 1u);
  EXPECT_EQ(drained, 1);
}

TEST_F(ClientDrain, AtItsDeadlineAnUnansweredShareIsAccountedFor) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  submit_one_answered_after(5s);
  client->drain_and_stop(100ms, [&] { ++drained; });
  ASSERT_TRUE(run_until(
      io, [&] { return drained > 0; }, 3s));
  const protocol::ShareStats s = client->share_stats(0);
  EXPECT_EQ(s.pending, 0u);
  EXPECT_EQ(s.rejected, 1u) << "in flight when the connection closed: disconnected";
  EXPECT_TRUE(s.balanced());
}

TEST_F(ClientDrain, WithNothingInFlightItEndsAtOnceAndEveryCallerHearsIt) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  client->drain_and_stop(10s, [&] { ++drained; });
  client->drain_and_stop(10s, [&] { ++drained; });
  ASSERT_TRUE(run_until(
      io, [&] { return drained == 2; }, 1s));
  client->drain_and_stop(10s, [&] { ++drained; });  // already stopped
  ASSERT_TRUE(run_until(
      io, [&] { return drained == 3; }, 1s));
}

TEST_F(ClientDrain, AStopDuringTheDrainEndsIt) {
  start_pool();
  start_client();
  ASSERT_TRUE(wait_ready());
  submit_one_answered_after(5s);
  client->drain_and_stop(10s, [&] { ++drained; });
  testing::run_for(io, 50ms);
  EXPECT_EQ(drained, 0) << "still waiting for the pool";
  client->stop();
  ASSERT_TRUE(run_until(
      io, [&] { return drained > 0; }, 1s));
  EXPECT_EQ(client->share_stats(0).pending, 0u);
}

}  // namespace
}  // namespace synthminer::stratum
