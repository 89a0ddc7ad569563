// The vgpu routes through the service, on a scheduler with a fake device:
// a job's life through POST, GET and DELETE; a full queue answers 503 with
// Retry-After; a cancelled job never runs; a running job is stopped by its
// cancel and by its deadline, and any running task by the service's stop;
// a preempted one (a reload) runs again; a submit whose client hangs up stops;
// submit answers 400, 422 and 500 as
// vgpu_request.h says; and the workers' vgpu seconds reach the metric.
#include "vgpu_service/job_routes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "vgpu_service/vgpu_service.h"

namespace synthminer::vgpu_service {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kMatvec =
    R"({"kind": "linalg", "signature": "demo", "payload": {"matrix": [1.0, 2.0], "vector": [3.0, 4.0], "operation": "matmul"}})";

// Mines nothing (no job is set): each scan sleeps 1 ms.
class IdleDevice : public scheduler::ScanDevice {
 public:
  std::string_view name() const override { return "cpu0"; }
  hashcore::ScanResult scan(const scheduler::Midstate&, hashcore::NonceRange range) override {
    std::this_thread::sleep_for(1ms);
    return hashcore::ScanResult{range.count, {}};
  }
};

// Holds the one answer a responder sends, from whichever thread.
class Answer : public http::ReplyTarget {
 public:
  void deliver(http::Response response) override {
    std::lock_guard lock(mutex_);
    response_ = std::move(response);
    arrived_.notify_all();
  }
  std::shared_ptr<const std::atomic<bool>> watch_hang_up() override { return hung_up_; }
  /// What the server does when the client closes its connection.
  void hang_up() { hung_up_->store(true); }
  std::optional<http::Response> wait() {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, 20s, [&] { return response_.has_value(); });
    return response_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::optional<http::Response> response_;
  std::shared_ptr<std::atomic<bool>> hung_up_ = std::make_shared<std::atomic<bool>>(false);
};

struct Reply {
  int status = 0;
  json body;
  http::Response raw;
  std::string header(const std::string& name) const {
    for (const auto& [key, value] : raw.headers)
      if (key == name) return value;
    return "";
  }
};

class VgpuRoutes : public ::testing::Test {
 protected:
  explicit VgpuRoutes(size_t max_queued = 64)
      : scheduler_({}, [](scheduler::WorkerReport) {}),
        service_(scheduler_, registry_, true, options(max_queued)) {
    scheduler_.add_device(std::make_unique<IdleDevice>(), scheduler::WorkerOptions{});
    service_.add_routes(router_);
  }
  ~VgpuRoutes() override { scheduler_.stop(); }

  // A stand-in for the host's linalg that counts its runs: the dot product
  // of matrix and vector; a payload with "throw" throws.
  void use_counting_executor() {
    service_.jarvis().set_executor(
        "cpu_main", [this](jarvis::OperationKind, const json& p, jarvis::TensorStore*,
                           const jarvis::StopToken&) {
          ++runs_;
          if (p.contains("throw")) throw std::runtime_error("a detail for the log only");
          double dot = 0;
          for (size_t i = 0; i < p.at("vector").size(); ++i)
            dot += p.at("matrix").at(i).get<double>() * p.at("vector").at(i).get<double>();
          return jarvis::OpResult::success(json{{"value", {dot}}}, 2);
        });
  }

  // A stand-in task that runs until its stop token stops it (or 20 s pass).
  void use_endless_executor() {
    service_.jarvis().set_executor(
        "cpu_main", [this](jarvis::OperationKind, const json&, jarvis::TensorStore*,
                           const jarvis::StopToken& stop) {
          ++runs_;
          const auto give_up = std::chrono::steady_clock::now() + 20s;
          while (std::chrono::steady_clock::now() < give_up) {
            stop.check();
            std::this_thread::sleep_for(1ms);
          }
          return jarvis::OpResult::success(json{{"value", "ran to the end"}}, 0);
        });
  }

  // Starts the workers and a job on the endless executor; its id once it
  // runs ("" if it did not).
  std::string start_endless_job() {
    use_endless_executor();
    scheduler_.start();
    const Reply posted = call(http::Verb::post, "/1/vgpu/jobs", kMatvec);
    if (posted.status != 202 || !eventually([&] { return runs_.load() == 1; })) return "";
    return posted.body.at("id");
  }

  // Polls `done` every 10 ms for up to 20 s.
  template <typename Done>
  bool eventually(Done done) {
    for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(10ms);
    return done();
  }

  static VgpuServiceOptions options(size_t max_queued) {
    VgpuServiceOptions o;
    o.max_queued = max_queued;
    return o;
  }

  Reply call(http::Verb verb, const std::string& path, std::string body = "",
             std::shared_ptr<Answer> target = std::make_shared<Answer>()) {
    const auto match = router_.find(verb, path);
    if (!match.route) {
      ADD_FAILURE() << "no route " << path;
      return {};
    }
    http::Request request;
    request.method = verb;
    request.path = path;
    request.body = std::move(body);
    match.route->handler(std::move(request), http::Responder(target));
    auto response = target->wait();
    if (!response) {
      ADD_FAILURE() << "no answer from " << path;
      return {};
    }
    Reply reply{static_cast<int>(response->status), response->body, *response};
    if (!response->content_type.empty()) reply.body = json::parse(response->raw_body);
    return reply;
  }

  // GETs the job until it has ended (or 20 s passed).
  json wait_for_end(const std::string& id) {
    json job;
    for (int i = 0; i < 2000; ++i) {
      job = call(http::Verb::get, "/1/vgpu/jobs/" + id).body;
      const std::string state = job.value("state", "");
      if (state != "queued" && state != "running") break;
      std::this_thread::sleep_for(10ms);
    }
    return job;
  }

  double family_value(const std::string& name, const std::vector<std::string>& labels) {
    for (const auto& family : registry_.snapshot().families) {
      if (family.name != name) continue;
      for (const auto& [values, value] : family.series)
        if (values == labels) return value;
    }
    return -1;
  }

  telemetry::Registry registry_;
  scheduler::Scheduler scheduler_;
  VgpuService service_;
  http::Router router_;
  std::atomic<int> runs_{0};
};

TEST_F(VgpuRoutes, AJobIsAcceptedRunAndRead) {
  scheduler_.start();
  const Reply posted = call(http::Verb::post, "/1/vgpu/jobs", kMatvec);
  ASSERT_EQ(posted.status, 202) << posted.body;
  const std::string id = posted.body.at("id");
  EXPECT_EQ(posted.body.at("state"), "queued");
  EXPECT_EQ(posted.header("Location"), "/1/vgpu/jobs/" + id);
  const json job = wait_for_end(id);
  EXPECT_EQ(job.at("state"), "done") << job;
  EXPECT_EQ(job.at("result").at("value"), json::array({11.0})) << job;
  EXPECT_EQ(job.at("deadline_ms"), kDefaultDeadlineMs);
  // Over: a DELETE says so.
  EXPECT_EQ(call(http::Verb::delete_, "/1/vgpu/jobs/" + id).status, 409);
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/jobs/j-0123456789abcdef").status, 404);
  // The worker's vgpu time is counted under its device.
  EXPECT_GT(family_value("synthminer_vgpu_busy_seconds_total", {"cpu0"}), 0.0);
}

TEST_F(VgpuRoutes, ABadJobBodyFailsWithItsStatusAndReason) {
  scheduler_.start();
  const Reply posted = call(http::Verb::post, "/1/vgpu/jobs",
                            R"({"kind": "linalg", "payload": {}, "deadline_ms": 0})");
  ASSERT_EQ(posted.status, 202);
  const json job = wait_for_end(posted.body.at("id"));
  EXPECT_EQ(job.at("state"), "failed") << job;
  EXPECT_EQ(job.at("status"), 422) << job;
  EXPECT_EQ(job.at("error").get<std::string>().rfind("deadline_ms:", 0), 0u) << job;
}

TEST_F(VgpuRoutes, SubmitAnswersWithTheStatusThatSaysWhatHappened) {
  scheduler_.start();
  const Reply fine = call(http::Verb::post, "/1/vgpu/submit", kMatvec);
  EXPECT_EQ(fine.status, 200) << fine.body;
  EXPECT_EQ(call(http::Verb::post, "/1/vgpu/submit", "{nope").status, 400);
  const Reply ragged = call(
      http::Verb::post, "/1/vgpu/submit",
      R"({"kind": "linalg", "payload": {"matrix": [[1, 2], [3]], "vector": [1, 2], "operation": "matvec"}})");
  EXPECT_EQ(ragged.status, 422) << ragged.body;
  use_counting_executor();
  const Reply thrown = call(
      http::Verb::post, "/1/vgpu/submit",
      R"({"kind": "linalg", "payload": {"matrix": [1.0], "vector": [1.0], "operation": "matmul", "throw": 1}})");
  EXPECT_EQ(thrown.status, 500) << thrown.body;
  EXPECT_EQ(thrown.body.dump().find("detail"), std::string::npos) << thrown.body;
  EXPECT_EQ(family_value("synthminer_vgpu_refused_total", {"internal_error"}), 1.0);
  EXPECT_EQ(family_value("synthminer_vgpu_refused_total", {"invalid_payload"}), 1.0);
  EXPECT_EQ(family_value("synthminer_vgpu_refused_total", {"not_json"}), 1.0);
}

TEST_F(VgpuRoutes, CancellingARunningJobStopsItsTask) {
  const std::string id = start_endless_job();
  ASSERT_FALSE(id.empty());
  const Reply deleted = call(http::Verb::delete_, "/1/vgpu/jobs/" + id);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body.at("state"), "cancelled");
  EXPECT_TRUE(eventually([&] {
    return family_value("synthminer_vgpu_tasks_interrupted_total", {"cancelled"}) == 1.0;
  })) << "the task did not stop";
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/jobs/" + id).body.at("state"), "cancelled");
  // The worker is free again: the next job runs.
  use_counting_executor();
  const json next = wait_for_end(call(http::Verb::post, "/1/vgpu/jobs", kMatvec).body.at("id"));
  EXPECT_EQ(next.at("state"), "done") << next;
}

TEST_F(VgpuRoutes, ARunningJobPastItsDeadlineIsStoppedAndExpires) {
  use_endless_executor();
  scheduler_.start();
  const Reply posted = call(http::Verb::post, "/1/vgpu/jobs",
                            R"({"kind": "linalg", "payload": {"matrix": [2.0], "vector": [3.0],
                                "operation": "matmul"}, "deadline_ms": 300})");
  ASSERT_EQ(posted.status, 202) << posted.body;
  const json job = wait_for_end(posted.body.at("id"));
  EXPECT_EQ(job.at("state"), "expired") << job;
  EXPECT_EQ(job.at("deadline_ms"), 300) << job;
  EXPECT_FALSE(job.contains("result")) << job;
  EXPECT_EQ(runs_.load(), 1);
  EXPECT_EQ(family_value("synthminer_vgpu_tasks_interrupted_total", {"deadline_passed"}), 1.0);
  EXPECT_EQ(family_value("synthminer_vgpu_refused_total", {"internal_error"}), 0.0);
}

TEST_F(VgpuRoutes, StoppingTheServiceStopsARunningSubmitAndRefusesNewOnes) {
  use_endless_executor();
  scheduler_.start();
  Reply answered;
  std::thread client([&] { answered = call(http::Verb::post, "/1/vgpu/submit", kMatvec); });
  ASSERT_TRUE(eventually([&] { return runs_.load() == 1; }));
  service_.stop_tasks();
  client.join();
  EXPECT_EQ(answered.status, 503) << answered.body;
  EXPECT_NE(answered.body.dump().find("shutting down"), std::string::npos) << answered.body;
  EXPECT_EQ(family_value("synthminer_vgpu_tasks_interrupted_total", {"shutdown"}), 1.0);
  const Reply refused = call(http::Verb::post, "/1/vgpu/jobs", kMatvec);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(runs_.load(), 1);
}

TEST_F(VgpuRoutes, ASubmitWhoseClientHangsUpIsCancelledAndFreesItsWorker) {
  use_endless_executor();
  scheduler_.start();
  auto target = std::make_shared<Answer>();
  Reply answered;
  std::thread client([&] { answered = call(http::Verb::post, "/1/vgpu/submit", kMatvec, target); });
  ASSERT_TRUE(eventually([&] { return runs_.load() == 1; }));
  target->hang_up();
  client.join();
  EXPECT_EQ(answered.status, 409) << answered.body;
  EXPECT_EQ(family_value("synthminer_vgpu_tasks_interrupted_total", {"cancelled"}), 1.0);
  use_counting_executor();
  const Reply next = call(http::Verb::post, "/1/vgpu/submit", kMatvec);
  EXPECT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(runs_.load(), 2);
}

TEST_F(VgpuRoutes, APreemptedJobIsQueuedAgainAndRunsFromTheStart) {
  const std::string id = start_endless_job();
  ASSERT_FALSE(id.empty());
  service_.preempt_tasks();
  EXPECT_TRUE(eventually([&] { return runs_.load() == 2; })) << "not run again";
  EXPECT_EQ(family_value("synthminer_vgpu_tasks_interrupted_total", {"preempted"}), 1.0);
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/jobs/" + id).body.at("state"), "running");
  EXPECT_EQ(call(http::Verb::delete_, "/1/vgpu/jobs/" + id).status, 200);
  EXPECT_TRUE(eventually([&] {
    return family_value("synthminer_vgpu_tasks_interrupted_total", {"cancelled"}) == 1.0;
  }));
  EXPECT_EQ(runs_.load(), 2);
}

// A hit is answered on the calling (io) thread: here no worker ever runs,
// yet a request whose answer is cached comes back, the same as a miss's.
TEST_F(VgpuRoutes, ACacheHitIsAnsweredWithoutAWorker) {
  const json body = json::parse(kMatvec);
  const jarvis::SubmitResult first =
      service_.jarvis().submit("linalg", "demo", body["payload"]);  // fills the cache
  ASSERT_TRUE(first.ok) << first.error;
  const Reply hit = call(http::Verb::post, "/1/vgpu/submit", kMatvec);
  EXPECT_EQ(hit.status, 200) << hit.body;
  EXPECT_EQ(hit.body["cached"], true);
  EXPECT_EQ(hit.body["result"], first.result);
  EXPECT_EQ(hit.body["device"], "cache");
}

class FullQueue : public VgpuRoutes {
 protected:
  FullQueue() : VgpuRoutes(2) {}
};

TEST_F(FullQueue, PastTheQueue503WithRetryAfterAndACancelledJobNeverRuns) {
  use_counting_executor();
  // Not started yet: nothing leaves the queue.
  const Reply first = call(http::Verb::post, "/1/vgpu/jobs", kMatvec);
  const Reply second = call(http::Verb::post, "/1/vgpu/jobs",
                            R"({"kind": "linalg", "payload": {"matrix": [2.0], "vector": [3.0],
                                "operation": "matmul"}, "deadline_ms": 600000})");
  ASSERT_EQ(first.status, 202);
  ASSERT_EQ(second.status, 202);
  const Reply full = call(http::Verb::post, "/1/vgpu/jobs", kMatvec);
  EXPECT_EQ(full.status, 503) << full.body;
  EXPECT_EQ(full.header("Retry-After"), "1");
  EXPECT_EQ(call(http::Verb::post, "/1/vgpu/submit", kMatvec).status, 503);
  EXPECT_EQ(family_value("synthminer_vgpu_refused_total", {"queue_full"}), 2.0);

  const std::string cancelled = first.body.at("id");
  const Reply deleted = call(http::Verb::delete_, "/1/vgpu/jobs/" + cancelled);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body.at("state"), "cancelled");
  scheduler_.start();
  const json job = wait_for_end(second.body.at("id"));
  EXPECT_EQ(job.at("state"), "done") << job;
  EXPECT_EQ(job.at("result").at("value"), json::array({6.0})) << job;
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/jobs/" + cancelled).body.at("state"), "cancelled");
  EXPECT_EQ(runs_.load(), 1);  // the second job only
}

}  // namespace
}  // namespace synthminer::vgpu_service
