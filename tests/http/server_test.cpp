// The API server's status paths against a real loopback socket: routing,
// bad requests, keep-alive, binding, stop.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "http/auth.h"
#include "tests/http/http_test_util.h"

namespace synthminer::http::test {
namespace {

Router echo_router() {
  Router r;
  EXPECT_TRUE(r.add({Verb::get, "/1/summary", [](Request req, Responder res) {
                       res.send({{"path", req.path}, {"query", req.query}});
                     }}));
  EXPECT_TRUE(r.add({Verb::post, "/1/echo", [](Request req, Responder res) {
                       res.send({{"echo", req.json}, {"from", req.remote_address}});
                     }}));
  return r;
}

ServerOptions with_token(std::string token) {
  auto o = test_options();
  o.token = std::move(token);
  return o;
}

TEST(HttpServer, GetAnswersJson) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  const auto r = c.get("/1/summary?x=1");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 200u);
  EXPECT_EQ(r.header(bhttp::field::content_type), "application/json");
  EXPECT_EQ(r.json()["path"], "/1/summary");
  EXPECT_EQ(r.json()["query"], "x=1");
}

TEST(HttpServer, AStarRouteMatchesOneLastSegment) {
  Router r;
  ASSERT_TRUE(r.add({Verb::get, "/1/things/*", [](Request req, Responder res) {
                       res.send({{"id", std::string(path_segment(req.path))}});
                     }}));
  ASSERT_TRUE(r.add({Verb::get, "/1/things", [](Request, Responder res) {
                       res.send({{"list", true}});
                     }}));
  Harness h(test_options(), std::move(r));
  Client c(h.port());
  const auto one = c.get("/1/things/abc?x=1");
  ASSERT_TRUE(one.ok) << one.error;
  EXPECT_EQ(one.status(), 200u);
  EXPECT_EQ(one.json()["id"], "abc");
  EXPECT_EQ(c.get("/1/things").json()["list"], true);
  // An empty segment or a deeper path is not the star's.
  EXPECT_EQ(c.get("/1/things/").status(), 404u);
  EXPECT_EQ(c.get("/1/things/abc/def").status(), 404u);
  const auto wrong = c.send(Client::make(bhttp::verb::delete_, "/1/things/abc", "", std::nullopt));
  EXPECT_EQ(wrong.status(), 405u);
}

TEST(HttpServer, ARawBodyIsSentAsIsWithItsType) {
  Router r;
  const std::string bytes("\x93NUMPY\x01\x00\0\n", 10);
  ASSERT_TRUE(r.add({Verb::get, "/1/raw", [bytes](Request, Responder res) {
                       res.send(Response::raw("application/octet-stream", bytes));
                     }}));
  Harness h(test_options(), std::move(r));
  Client c(h.port());
  const auto reply = c.get("/1/raw");
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.status(), 200u);
  EXPECT_EQ(reply.header(bhttp::field::content_type), "application/octet-stream");
  EXPECT_EQ(reply.raw.body(), bytes);
}

TEST(HttpServer, UnknownPathIs404WithReason) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  const auto r = c.get("/1/nothing");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 404u);
  EXPECT_EQ(r.json()["error"], "no such endpoint: /1/nothing");
}

TEST(HttpServer, WrongMethodIs405WithAllow) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  const auto r = c.send(Client::make(bhttp::verb::delete_, "/1/summary", "", std::nullopt));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 405u);
  EXPECT_EQ(r.header(bhttp::field::allow), "GET, HEAD");
  EXPECT_TRUE(r.json()["error"].get<std::string>().find("allowed: GET, HEAD") != std::string::npos);
}

TEST(HttpServer, HeadAnswersAGetRouteWithItsHeadersAndNoBody) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  const auto get = c.get("/1/summary");
  const auto head = c.send(Client::make(bhttp::verb::head, "/1/summary", "", std::nullopt));
  ASSERT_TRUE(head.ok) << head.error;
  EXPECT_EQ(head.status(), 200u);
  EXPECT_EQ(head.header(bhttp::field::content_type), "application/json");
  EXPECT_EQ(head.header(bhttp::field::content_length), std::to_string(get.raw.body().size()));
  EXPECT_TRUE(head.raw.body().empty());
  // The connection is still in step: the next answer is whole.
  const auto after = c.get("/1/summary?y=2");
  ASSERT_TRUE(after.ok) << after.error;
  EXPECT_EQ(after.json()["query"], "y=2");
  // A POST-only path does not answer HEAD.
  const auto post_only = c.send(Client::make(bhttp::verb::head, "/1/echo", "", std::nullopt));
  ASSERT_TRUE(post_only.ok) << post_only.error;
  EXPECT_EQ(post_only.status(), 405u);
  EXPECT_EQ(post_only.header(bhttp::field::allow), "POST");
}

TEST(HttpServer, BadJsonBodyIs400) {
  Harness h(with_token("0123456789abcdef"), echo_router());
  Client c(h.port());
  const auto r = c.post("/1/echo", "{\"a\": ", "0123456789abcdef");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 400u);
  EXPECT_TRUE(r.json()["error"].get<std::string>().starts_with("request body is not valid JSON"));
  // The body was read in full, so the connection stays usable.
  const auto again = c.post("/1/echo", "{\"a\": 1}", "0123456789abcdef");
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.status(), 200u);
  EXPECT_EQ(again.json()["echo"]["a"], 1);
  EXPECT_EQ(again.json()["from"], "127.0.0.1");
}

TEST(HttpServer, AJsonNumberTooLargeForADoubleIs400AndTheServerAnswersOn) {
  // Found by http_fuzz: nlohmann throws out_of_range (not parse_error) for
  // 1E999; uncaught, it left the io thread and ended the daemon.
  Harness h(with_token("0123456789abcdef"), echo_router());
  Client c(h.port());
  const auto r = c.post("/1/echo", R"({"pool": 1E999})", "0123456789abcdef");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 400u);
  EXPECT_EQ(r.json()["error"], "request body is not valid JSON (a number too large for a double)");
  const auto again = c.post("/1/echo", R"({"a": 1})", "0123456789abcdef");
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.status(), 200u);
}

TEST(HttpServer, MalformedRequestIs400) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  const auto r = c.send_raw("GET /1/summary HTTP/9.9\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 400u);
  EXPECT_TRUE(r.json()["error"].get<std::string>().starts_with("malformed HTTP request"));
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  const auto first = c.get("/1/summary?n=1");
  ASSERT_TRUE(first.ok) << first.error;
  EXPECT_TRUE(first.raw.keep_alive());
  const auto second = c.get("/1/summary?n=2");
  ASSERT_TRUE(second.ok) << second.error;
  EXPECT_EQ(second.json()["query"], "n=2");
  EXPECT_EQ(h.server().connections(), 1u);
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  Harness h(test_options(), echo_router());
  Client c(h.port());
  auto req = Client::make(bhttp::verb::get, "/1/summary", "", std::nullopt);
  req.keep_alive(false);
  const auto r = c.send(req);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_FALSE(r.raw.keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST(HttpServer, StopClosesOpenConnections) {
  Harness h(test_options(), echo_router());
  Client idle(h.port());
  Client used(h.port());
  ASSERT_TRUE(used.get("/1/summary").ok);
  h.stop();
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(used.closed_by_server());
  // Nothing accepts any more.
  asio::io_context io;
  Tcp::socket s(io);
  beast::error_code ec;
  s.connect(Tcp::endpoint(asio::ip::make_address("127.0.0.1"), h.port()), ec);
  EXPECT_TRUE(ec);
}

TEST(HttpServer, EveryResponseIsReported) {
  std::mutex mutex;
  std::vector<AccessRecord> records;
  auto o = test_options();
  o.on_response = [&](const AccessRecord& r) {
    std::lock_guard lock(mutex);
    records.push_back(r);
  };
  Harness h(o, echo_router());
  Client c(h.port());
  ASSERT_EQ(c.get("/1/summary?secret=1").status(), 200u);
  ASSERT_EQ(c.get("/1/nothing", "token-never-logged").status(), 404u);
  h.stop();
  std::lock_guard lock(mutex);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].method, Verb::get);
  EXPECT_EQ(records[0].path, "/1/summary");
  EXPECT_EQ(records[0].status, 200u);
  EXPECT_EQ(records[0].remote_address, "127.0.0.1");
  EXPECT_GE(records[0].elapsed.count(), 0);
  EXPECT_EQ(records[1].path, "/1/nothing");
  EXPECT_EQ(records[1].status, 404u);
}

TEST(HttpServer, BindFailureNamesTheAddress) {
  Harness first(test_options(), echo_router());
  asio::io_context io;
  auto o = test_options();
  o.port = first.port();
  Server second(io, o, echo_router());
  const auto r = second.start();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(first.port())), std::string::npos)
      << r.error().message;
}

TEST(HttpServer, RefusesNonLoopbackListenerWithoutToken) {
  asio::io_context io;
  auto o = test_options();
  o.host = "0.0.0.0";
  Server s(io, o, echo_router());
  const auto r = s.start();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("api.token"), std::string::npos) << r.error().message;
}

TEST(HttpServer, TooManyConnectionsGets503) {
  auto o = test_options();
  o.max_connections = 1;
  Harness h(o, echo_router());
  Client first(h.port());
  ASSERT_TRUE(first.get("/1/summary").ok);  // surely accepted and registered
  Client second(h.port());
  const auto r = second.get("/1/summary");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 503u);
  EXPECT_EQ(r.json()["error"], "too many connections to the API; try again later");
}

TEST(HttpServer, SlowRequestIsCutOffAtTheHeaderDeadline) {
  auto o = test_options();
  o.header_timeout = std::chrono::milliseconds(200);
  Harness h(o, echo_router());
  Client c(h.port());
  c.write_raw("GET /1/summary HTTP/1.1\r\nHost: x\r\n");  // never finished
  EXPECT_TRUE(c.closed_by_server());
}

TEST(HttpServer, ExpectContinueIsAnswered) {
  Harness h(with_token("0123456789abcdef"), echo_router());
  Client c(h.port());
  auto req = Client::make(bhttp::verb::post, "/1/echo", "[1,2,3]", "0123456789abcdef");
  req.set(bhttp::field::expect, "100-continue");
  // The client writes the body at once; the server's interim 100 comes first.
  const auto interim = c.send(req);
  ASSERT_TRUE(interim.ok) << interim.error;
  EXPECT_EQ(interim.status(), 100u);
  const auto final_reply = c.read();
  ASSERT_TRUE(final_reply.ok) << final_reply.error;
  EXPECT_EQ(final_reply.status(), 200u);
  EXPECT_EQ(final_reply.json()["echo"], nlohmann::json({1, 2, 3}));
}

}  // namespace
}  // namespace synthminer::http::test
