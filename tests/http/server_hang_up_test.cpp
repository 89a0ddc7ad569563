// A handler that asks (Responder::hang_up_flag) learns when its client hangs
// up while it works; a pipelined next request is not taken for a hang-up,
// and an answer ends the watch so the connection serves the next request.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "tests/http/http_test_util.h"

namespace synthminer::http::test {
namespace {

using namespace std::chrono_literals;

// What the slow route's handler left: its flag and its unanswered responder.
struct Held {
  std::mutex mutex;
  std::condition_variable called;
  int calls = 0;
  std::shared_ptr<const std::atomic<bool>> hung_up;
  std::unique_ptr<Responder> reply;

  bool wait_for_call(int n) {
    std::unique_lock lock(mutex);
    return called.wait_for(lock, 5s, [&] { return calls >= n; });
  }
  void answer(nlohmann::json body) {
    std::lock_guard lock(mutex);
    reply->send(std::move(body));
  }
};

// POST /slow holds its answer; GET /fast answers at once.
Router slow_router(const std::shared_ptr<Held>& held) {
  Router r;
  EXPECT_TRUE(r.add({Verb::post, "/slow", [held](Request, Responder res) {
                       std::lock_guard lock(held->mutex);
                       held->hung_up = res.hang_up_flag();
                       held->reply = std::make_unique<Responder>(std::move(res));
                       ++held->calls;
                       held->called.notify_all();
                     }}));
  EXPECT_TRUE(r.add({Verb::get, "/fast", [](Request, Responder res) { res.send({{"fast", 1}}); }}));
  return r;
}

constexpr const char* kSlowRequest = "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
constexpr const char* kFastRequest = "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n";

// POST needs no token here (a loopback listener without one).
ServerOptions open_options() {
  auto o = test_options();
  o.open_loopback = true;
  return o;
}

template <typename Done>
bool eventually(Done done) {
  for (int i = 0; i < 500 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST(HttpHangUp, AHandlerThatAsksLearnsWhenItsClientHangsUp) {
  auto held = std::make_shared<Held>();
  Harness h(open_options(), slow_router(held));
  {
    asio::io_context io;
    Tcp::socket s(io);
    s.connect(Tcp::endpoint(asio::ip::make_address("127.0.0.1"), h.port()));
    asio::write(s, asio::buffer(std::string(kSlowRequest)));
    ASSERT_TRUE(held->wait_for_call(1));
    ASSERT_NE(held->hung_up, nullptr);
    EXPECT_FALSE(held->hung_up->load());
  }  // the client closes its socket without waiting for the answer
  EXPECT_TRUE(eventually([&] { return held->hung_up->load(); })) << "the hang-up was not seen";
  EXPECT_TRUE(eventually([&] { return h.server().connections() == 0; }))
      << "the connection was kept for an answer nobody reads";
  held->answer({{"late", true}});  // goes nowhere, harmlessly
  Client other(h.port());
  const auto r = other.get("/fast");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.json()["fast"], 1);
}

TEST(HttpHangUp, APipelinedRequestIsNotTakenForAHangUpAndIsAnsweredAfter) {
  auto held = std::make_shared<Held>();
  Harness h(open_options(), slow_router(held));
  Client c(h.port());
  c.write_raw(kSlowRequest);
  ASSERT_TRUE(held->wait_for_call(1));
  c.write_raw(kFastRequest);  // read by the watch, kept for the next request
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(held->hung_up->load());
  held->answer({{"slow", 1}});
  const auto first = c.read();
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_EQ(first.json()["slow"], 1);
  const auto second = c.read();
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_EQ(second.json()["fast"], 1);
  EXPECT_FALSE(held->hung_up->load());
}

TEST(HttpHangUp, AnAnswerEndsTheWatchAndTheConnectionServesTheNextRequests) {
  auto held = std::make_shared<Held>();
  Harness h(open_options(), slow_router(held));
  Client c(h.port());
  for (int round = 1; round <= 3; ++round) {
    std::thread answerer([&] {
      if (held->wait_for_call(round)) held->answer({{"round", round}});
    });
    const auto slow = c.post("/slow", "");
    answerer.join();
    ASSERT_TRUE(slow.ok) << slow.error;
    EXPECT_EQ(slow.json()["round"], round);
    EXPECT_TRUE(slow.raw.keep_alive());
    EXPECT_FALSE(held->hung_up->load());
    const auto fast = c.get("/fast");
    ASSERT_TRUE(fast.ok) << fast.error;
    EXPECT_EQ(fast.json()["fast"], 1);
  }
  EXPECT_EQ(h.server().connections(), 1u);
}

}  // namespace
}  // namespace synthminer::http::test
