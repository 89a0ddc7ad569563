// Responders: answered later from another thread, dropped (500), a
// throwing handler (500), and the one-answer rule.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "tests/http/http_test_util.h"

namespace synthminer::http::test {
namespace {

class RecordingTarget : public ReplyTarget {
 public:
  void deliver(Response response) override { responses.push_back(std::move(response)); }
  std::vector<Response> responses;
};

TEST(Responder, AnswersOnceOnly) {
  auto target = std::make_shared<RecordingTarget>();
  {
    Responder r(target);
    EXPECT_TRUE(r.pending());
    r.send({{"n", 1}});
    EXPECT_FALSE(r.pending());
    r.send({{"n", 2}});
  }
  ASSERT_EQ(target->responses.size(), 1u);
  EXPECT_EQ(target->responses[0].body["n"], 1);
}

TEST(Responder, DroppedResponderAnswers500) {
  auto target = std::make_shared<RecordingTarget>();
  { Responder r(target); }
  ASSERT_EQ(target->responses.size(), 1u);
  EXPECT_EQ(target->responses[0].status, Status::internal_server_error);
  EXPECT_TRUE(target->responses[0].body.contains("error"));
}

TEST(Responder, MovedFromResponderIsSilent) {
  auto target = std::make_shared<RecordingTarget>();
  {
    Responder a(target);
    Responder b(std::move(a));
    b.fail(Status::conflict, "busy");
  }
  ASSERT_EQ(target->responses.size(), 1u);
  EXPECT_EQ(target->responses[0].status, Status::conflict);
  EXPECT_EQ(target->responses[0].body["error"], "busy");
}

// A worker thread that answers requests handed to it, like vgpu work.
class Worker {
 public:
  ~Worker() {
    for (auto& t : threads_) t.join();
  }
  template <class Job>
  void run(Job job) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back(std::move(job));
  }

 private:
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

TEST(HttpResponder, AnsweredFromAnotherThread) {
  Worker worker;
  Router r;
  ASSERT_TRUE(r.add({Verb::get, "/1/slow", [&](Request req, Responder res) {
                       worker.run([req = std::move(req), res = std::move(res)]() mutable {
                         res.send({{"thread", "worker"}, {"path", req.path}});
                       });
                     }}));
  Harness h(test_options(), std::move(r));
  Client c(h.port());
  const auto reply = c.get("/1/slow");
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status(), 200u);
  EXPECT_EQ(reply.json()["thread"], "worker");
  // The connection is ready for the next request afterwards.
  EXPECT_EQ(c.get("/1/slow").status(), 200u);
}

TEST(HttpResponder, DroppedResponderGives500) {
  Worker worker;
  Router r;
  ASSERT_TRUE(r.add({Verb::get, "/1/forgets", [&](Request, Responder res) {
                       worker.run([res = std::move(res)]() mutable {
                         Responder dropped = std::move(res);  // goes out of scope unanswered
                       });
                     }}));
  Harness h(test_options(), std::move(r));
  Client c(h.port());
  const auto reply = c.get("/1/forgets");
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status(), 500u);
  EXPECT_TRUE(reply.json().contains("error"));
}

Router parking_router(std::promise<Responder>& parked) {
  Router r;
  EXPECT_TRUE(r.add({Verb::get, "/1/parked",
                     [&parked](Request, Responder res) { parked.set_value(std::move(res)); }}));
  return r;
}

TEST(HttpResponder, AnswerInHandAtStopStillArrives) {
  std::promise<Responder> parked;
  Harness h(test_options(), parking_router(parked));
  Client c(h.port());
  Reply reply;
  std::thread client([&] { reply = c.get("/1/parked"); });
  Responder held = parked.get_future().get();  // the handler has run
  h.stop();
  EXPECT_EQ(h.server().connections(), 0u);
  held.send({{"late", true}});
  client.join();
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status(), 200u);
  EXPECT_FALSE(reply.raw.keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST(HttpResponder, UnansweredAtStopIsClosedAfterWriteTimeout) {
  std::promise<Responder> parked;
  auto o = test_options();
  o.write_timeout = std::chrono::milliseconds(100);
  Harness h(o, parking_router(parked));
  Client c(h.port());
  Reply reply;
  std::thread client([&] { reply = c.get("/1/parked"); });
  Responder held = parked.get_future().get();
  h.stop();
  client.join();  // returns once the server gives up on the handler
  EXPECT_FALSE(reply.ok);
  held.send({{"too late", true}});  // into a closed connection: dropped quietly
  EXPECT_FALSE(held.pending());
}

TEST(HttpResponder, ThrowingHandlerGives500) {
  Router r;
  ASSERT_TRUE(r.add({Verb::get, "/1/throws",
                     [](Request, Responder) -> void { throw std::runtime_error("boom"); }}));
  Harness h(test_options(), std::move(r));
  Client c(h.port());
  const auto reply = c.get("/1/throws");
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status(), 500u);
}

TEST(HttpResponder, StatusAndHeadersComeThrough) {
  Router r;
  ASSERT_TRUE(r.add({Verb::get, "/1/custom", [](Request, Responder res) {
                       Response out;
                       out.status = Status::accepted;
                       out.body = {{"queued", 3}};
                       out.headers.emplace_back("X-Queue", "3");
                       res.send(std::move(out));
                     }}));
  Harness h(test_options(), std::move(r));
  Client c(h.port());
  const auto reply = c.get("/1/custom");
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status(), 202u);
  EXPECT_EQ(reply.header("X-Queue"), "3");
  EXPECT_EQ(reply.json()["queued"], 3);
}

}  // namespace
}  // namespace synthminer::http::test
