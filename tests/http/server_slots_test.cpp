// Connection slots (issue 13, item 13): a connection that sends no request
// header gives its slot back at header_timeout, one client address holds at
// most max_connections_per_address slots, and both refusals are reported.
#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/http/http_test_util.h"

namespace synthminer::http::test {
namespace {

Router summary_router() {
  Router r;
  EXPECT_TRUE(r.add({Verb::get, "/1/summary", [](Request, Responder res) {
                       res.send({{"ok", true}});
                     }}));
  EXPECT_TRUE(r.add({Verb::post, "/1/pause", [](Request, Responder res) {
                       res.send({{"ok", true}});
                     }}));
  return r;
}

/// Polls `done` every 10 ms for up to 5 s.
bool eventually(const std::function<bool()>& done) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

/// Collects what the server reports through on_refusal.
class Refusals {
 public:
  void hook(ServerOptions& o) {
    o.on_refusal = [this](const RefusalRecord& r) {
      std::lock_guard lock(mu_);
      records_.push_back(r);
    };
  }
  std::vector<RefusalRecord> records() {
    std::lock_guard lock(mu_);
    return records_;
  }
  size_t count(Refusal kind) {
    size_t n = 0;
    for (const auto& r : records()) n += r.kind == kind ? 1 : 0;
    return n;
  }

 private:
  std::mutex mu_;
  std::vector<RefusalRecord> records_;
};

TEST(HttpSlots, AConnectionWithoutAHeaderIsDroppedAtTheHeaderDeadlineAndCounted) {
  Refusals refusals;
  auto o = test_options();
  o.max_connections = 1;
  o.header_timeout = std::chrono::milliseconds(200);
  refusals.hook(o);
  Harness h(o, summary_router());
  Client idle(h.port());  // connects and says nothing
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_EQ(refusals.count(Refusal::kHeaderTimeout), 1u);
  // Its slot is free again: the one slot serves the next client.
  Client next(h.port());
  const auto r = next.get("/1/summary");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 200u);
}

TEST(HttpSlots, AnIdleKeptAliveConnectionClosesWithoutBeingCountedAsRefused) {
  Refusals refusals;
  auto o = test_options();
  o.keep_alive_timeout = std::chrono::milliseconds(200);
  refusals.hook(o);
  Harness h(o, summary_router());
  Client c(h.port());
  ASSERT_EQ(c.get("/1/summary").status(), 200u);
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(refusals.records().empty());
}

TEST(HttpSlots, OneAddressCannotHoldMoreThanItsSlots) {
  Refusals refusals;
  auto o = test_options();
  o.max_connections_per_address = 2;
  refusals.hook(o);
  Harness h(o, summary_router());
  auto first = std::make_unique<Client>(h.port());
  Client second(h.port());
  ASSERT_EQ(first->get("/1/summary").status(), 200u);  // surely accepted and registered
  ASSERT_EQ(second.get("/1/summary").status(), 200u);
  Client third(h.port());
  const auto refused = third.get("/1/summary");
  ASSERT_TRUE(refused.ok) << refused.error;
  EXPECT_EQ(refused.status(), 503u);
  EXPECT_NE(refused.json()["error"].get<std::string>().find("from 127.0.0.1 (at most 2)"),
            std::string::npos)
      << refused.raw.body();
  ASSERT_EQ(refusals.count(Refusal::kAddressFull), 1u);
  EXPECT_EQ(refusals.records().front().remote_address, "127.0.0.1");
  // A slot given back is taken again.
  first.reset();
  ASSERT_TRUE(eventually([&] { return h.server().connections() == 1; }));
  Client fourth(h.port());
  EXPECT_EQ(fourth.get("/1/summary").status(), 200u);
}

TEST(HttpSlots, RefusedRequestsAreReportedByKind) {
  Refusals refusals;
  auto o = test_options();
  o.token = "slots-token-0123456789";
  refusals.hook(o);
  Harness h(o, summary_router());
  Client c(h.port());
  EXPECT_EQ(c.post("/1/pause", "{}", "wrong-token-0123456789").status(), 401u);
  Client e(h.port());  // the 401 closed c: its body was left unread
  EXPECT_EQ(e.get("/nope").status(), 404u);
  Client d(h.port());
  EXPECT_EQ(
      d.send_raw("GET /1/summary HTTP/1.1\r\nHost: x\r\nX: " + std::string(9000, 'a') + "\r\n\r\n")
          .status(),
      431u);
  EXPECT_EQ(refusals.count(Refusal::kBadToken), 1u);
  EXPECT_EQ(refusals.count(Refusal::kBadRequest), 1u);
  EXPECT_EQ(refusals.count(Refusal::kHeaderTooLarge), 1u);
  EXPECT_EQ(refusals.records().at(1).path, "/nope");
}

}  // namespace
}  // namespace synthminer::http::test
