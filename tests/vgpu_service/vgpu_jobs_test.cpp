// VgpuJobs on a hand-moved clock: the states a job goes through, cancel
// before and while it runs (the running task's stop token sees it), the
// deadline (a late job never starts; a running one is stopped), and the
// bounds on what is remembered (age, count, bytes).
#include "vgpu_service/vgpu_jobs.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace synthminer::vgpu_service {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class Jobs : public ::testing::Test {
 protected:
  explicit Jobs(VgpuJobsOptions options = {}) : jobs_(options, [this] { return now_; }) {}
  json view(const std::string& id) {
    auto text = jobs_.view(id);
    if (!text) return nullptr;
    return json::parse(*text);
  }
  static VgpuAnswer done(json result) {
    jarvis::SubmitResult r;
    r.ok = true;
    r.result_text = result.dump();
    r.result = std::move(result);
    r.device = "cpu";
    return vgpu_answer(std::move(r), "linalg");
  }
  static VgpuAnswer failed(http::Status status, std::string error) {
    VgpuAnswer a;
    a.status = status;
    a.body = {{"error", std::move(error)}};
    return a;
  }

  VgpuJobs::Clock::time_point now_{1000s};
  VgpuJobs jobs_;
};

TEST_F(Jobs, AJobGoesFromQueuedToRunningToDoneWithItsResultAndTimings) {
  const std::string id = jobs_.create();
  EXPECT_EQ(id.size(), 18u);
  EXPECT_EQ(id.rfind("j-", 0), 0u);
  EXPECT_EQ(view(id).at("state"), "queued");
  now_ += 2s;
  ASSERT_TRUE(jobs_.start(id, 60000));
  json v = view(id);
  EXPECT_EQ(v.at("state"), "running");
  EXPECT_DOUBLE_EQ(v.at("timings").at("queued_seconds").get<double>(), 2.0);
  EXPECT_EQ(v.at("deadline_ms"), 60000);
  EXPECT_FALSE(v.contains("result"));
  now_ += 500ms;
  jobs_.finish(id, done({{"value", {11.0}}}));
  v = view(id);
  EXPECT_EQ(v.at("state"), "done");
  EXPECT_EQ(v.at("result"), json({{"value", {11.0}}}));
  EXPECT_EQ(v.at("device"), "cpu");
  EXPECT_DOUBLE_EQ(v.at("timings").at("run_seconds").get<double>(), 0.5);
  // Over: cancelling it changes nothing.
  EXPECT_EQ(jobs_.cancel(id), VgpuJobs::Cancel::kAlreadyOver);
  EXPECT_EQ(view(id).at("state"), "done");
}

TEST_F(Jobs, AFailedJobKeepsItsStatusAndReason) {
  const std::string id = jobs_.create();
  jobs_.finish(id, failed(http::Status::unprocessable_entity, "payload: required, an object"));
  const json v = view(id);
  EXPECT_EQ(v.at("state"), "failed");
  EXPECT_EQ(v.at("status"), 422);
  EXPECT_EQ(v.at("error"), "payload: required, an object");
  EXPECT_FALSE(jobs_.start(id, 60000));
}

TEST_F(Jobs, ACancelledQueuedJobNeverStarts) {
  const std::string id = jobs_.create();
  EXPECT_EQ(jobs_.cancel(id), VgpuJobs::Cancel::kCancelled);
  EXPECT_FALSE(jobs_.start(id, 60000));
  EXPECT_EQ(view(id).at("state"), "cancelled");
}

TEST_F(Jobs, ARunningJobCancelledDropsItsResult) {
  const std::string id = jobs_.create();
  const auto stop = jobs_.start(id, 60000);
  ASSERT_TRUE(stop);
  EXPECT_EQ(stop->reason(), jarvis::StopReason::kNone);
  EXPECT_EQ(jobs_.cancel(id), VgpuJobs::Cancel::kCancelled);
  EXPECT_EQ(stop->reason(), jarvis::StopReason::kCancelled) << "the task is told to stop";
  jobs_.finish(id, done({{"value", {1.0}}}));
  const json v = view(id);
  EXPECT_EQ(v.at("state"), "cancelled");
  EXPECT_FALSE(v.contains("result"));
}

// The token carries the time left on the job's own clock (here a test's)
// over to the real one; a task stopped by it ends the job expired.
TEST_F(Jobs, ARunningJobStoppedByItsDeadlineExpires) {
  const std::string id = jobs_.create();
  now_ += 500ms;
  const auto long_left = jobs_.start(id, 3'600'000);
  ASSERT_TRUE(long_left);
  EXPECT_EQ(long_left->reason(), jarvis::StopReason::kNone);
  jarvis::SubmitResult stopped;
  stopped.error = "deadline passed while it ran (deadline_ms)";
  stopped.error_kind = jarvis::OpError::kDeadlinePassed;
  const VgpuAnswer answer = vgpu_answer(std::move(stopped), "quantum");
  EXPECT_EQ(answer.interrupted, "deadline_passed");
  EXPECT_EQ(answer.status, http::Status::gateway_timeout);
  EXPECT_TRUE(answer.refusal.empty());
  jobs_.finish(id, answer);
  EXPECT_EQ(view(id).at("state"), "expired");

  const std::string tight = jobs_.create();
  now_ += 999ms;
  const auto little_left = jobs_.start(tight, 1000);  // 1 ms left
  ASSERT_TRUE(little_left);
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(little_left->reason(), jarvis::StopReason::kDeadlinePassed);
}

TEST_F(Jobs, AJobPastItsDeadlineExpiresInsteadOfRunningLate) {
  const std::string late = jobs_.create();
  const std::string on_time = jobs_.create();
  now_ += 1001ms;
  EXPECT_FALSE(jobs_.start(late, 1000));
  EXPECT_EQ(view(late).at("state"), "expired");
  jobs_.finish(late, done({{"value", {1.0}}}));  // a stray finish changes nothing
  EXPECT_EQ(view(late).at("state"), "expired");
  EXPECT_TRUE(jobs_.start(on_time, 1001));
}

TEST_F(Jobs, UnknownIdsAreUnknown) {
  EXPECT_FALSE(jobs_.view("j-0000000000000000"));
  EXPECT_EQ(jobs_.cancel("nope"), VgpuJobs::Cancel::kUnknown);
  EXPECT_FALSE(jobs_.start("nope", 1000));
  jobs_.finish("nope", done(1));  // ignored
  EXPECT_EQ(jobs_.size(), 0u);
}

TEST_F(Jobs, IdsAreDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(jobs_.create());
  EXPECT_EQ(ids.size(), 1000u);
}

TEST_F(Jobs, FinishedJobsAreForgottenAfterTheirTime) {
  const std::string old_job = jobs_.create();
  jobs_.finish(old_job, done(1));
  const std::string waiting = jobs_.create();  // unfinished: never forgotten
  now_ += 599s;
  EXPECT_TRUE(view(old_job).is_object());
  now_ += 2s;
  EXPECT_TRUE(view(old_job).is_null());
  EXPECT_EQ(view(waiting).at("state"), "queued");
}

class FewJobs : public Jobs {
 protected:
  FewJobs() : Jobs(VgpuJobsOptions{3, 600s, 64}) {}
};

TEST_F(FewJobs, TheOldestFinishedJobsGoPastTheCountOrByteBound) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(jobs_.create());
    jobs_.finish(ids.back(), done(i));
  }
  EXPECT_TRUE(view(ids[0]).is_null());
  EXPECT_TRUE(view(ids[1]).is_null());
  EXPECT_EQ(view(ids[4]).at("result"), 4);
  // Results of 30 bytes: three would be over 64 bytes, so only two stay.
  const std::string text(28, 'x');
  for (int i = 0; i < 3; ++i) {
    ids.push_back(jobs_.create());
    jobs_.finish(ids.back(), done(text));
  }
  EXPECT_TRUE(view(ids[4]).is_null());
  EXPECT_TRUE(view(ids[5]).is_null());
  EXPECT_EQ(view(ids[6]).at("result"), text);
  EXPECT_EQ(view(ids[7]).at("result"), text);
  // One result over the whole bound fails with 413 rather than vanish.
  const std::string big = jobs_.create();
  jobs_.finish(big, done(std::string(100, 'y')));
  EXPECT_EQ(view(big).at("state"), "failed");
  EXPECT_EQ(view(big).at("status"), 413);
}

}  // namespace
}  // namespace synthminer::vgpu_service
