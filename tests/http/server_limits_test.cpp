// Size and rate limits of the running server: body limit per route (413),
// header limit (431), per-IP rate limit (429 + Retry-After).
#include <gtest/gtest.h>

#include "tests/http/http_test_util.h"

namespace synthminer::http::test {
namespace {

const std::string kToken = "limits-token-0123456789";

Router limits_router() {
  Router r;
  EXPECT_TRUE(r.add({Verb::get, "/1/summary", [](Request, Responder res) {
                       res.send({{"ok", true}});
                     }}));
  Route small{Verb::post, "/1/small", [](Request req, Responder res) {
                res.send({{"bytes", req.body.size()}});
              }};
  small.body_limit_bytes = 1024;
  EXPECT_TRUE(r.add(std::move(small)));
  Route big{Verb::post, "/1/big", [](Request req, Responder res) {
              res.send({{"bytes", req.body.size()}});
            }};
  big.body_limit_bytes = 1 << 20;
  big.json_body = false;
  EXPECT_TRUE(r.add(std::move(big)));
  return r;
}

ServerOptions options() {
  auto o = test_options();
  o.token = kToken;
  return o;
}

TEST(HttpLimits, BodyOverTheRouteLimitIs413) {
  Harness h(options(), limits_router());
  Client c(h.port());
  const auto r = c.post("/1/small", "\"" + std::string(2000, 'a') + "\"", kToken);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 413u);
  EXPECT_NE(r.json()["error"].get<std::string>().find("at most 1024 bytes"), std::string::npos);
  EXPECT_TRUE(c.closed_by_server());
}

TEST(HttpLimits, AJsonBodyNestedDeeperThan64LevelsIs400) {
  Harness h(options(), limits_router());
  Client c(h.port());
  const auto r = c.post("/1/small", std::string(300, '[') + std::string(300, ']'), kToken);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 400u);
  EXPECT_NE(r.json()["error"].get<std::string>().find("deeper than 64"), std::string::npos);
  const auto fine = c.post("/1/small", std::string(64, '[') + std::string(64, ']'), kToken);
  ASSERT_TRUE(fine.ok) << fine.error;
  EXPECT_EQ(fine.status(), 200u);
}

TEST(HttpLimits, ChunkedBodyOverTheLimitIs413) {
  Harness h(options(), limits_router());
  Client c(h.port());
  std::string chunked = "POST /1/small HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken +
                        "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) chunked += "200\r\n" + std::string(512, ' ') + "\r\n";
  chunked += "0\r\n\r\n";
  const auto r = c.send_raw(chunked);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 413u);
}

TEST(HttpLimits, EachRouteHasItsOwnLimit) {
  Harness h(options(), limits_router());
  Client c(h.port());
  const auto r = c.post("/1/big", std::string(300 * 1024, 'z'), kToken);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 200u);
  EXPECT_EQ(r.json()["bytes"], 300 * 1024);
}

TEST(HttpLimits, BodiesBeyondBeastsDefaultLimitPass) {
  Router r;
  Route submit{Verb::post, "/1/vgpu/submit", [](Request req, Responder res) {
                 res.send({{"bytes", req.body.size()}});
               }};
  submit.body_limit_bytes = 8 << 20;
  submit.json_body = false;
  ASSERT_TRUE(r.add(std::move(submit)));
  Harness h(options(), std::move(r));
  Client c(h.port());
  const auto r1 = c.post("/1/vgpu/submit", std::string(3 << 20, 'q'), kToken);
  ASSERT_TRUE(r1.ok) << r1.error;
  EXPECT_EQ(r1.status(), 200u);
  EXPECT_EQ(r1.json()["bytes"], 3 << 20);
  Client d(h.port());
  const auto r2 = d.post("/1/vgpu/submit", std::string(9 << 20, 'q'), kToken);
  ASSERT_TRUE(r2.ok) << r2.error;
  EXPECT_EQ(r2.status(), 413u);
}

TEST(HttpLimits, OversizedHeaderIs431) {
  auto o = options();
  o.header_limit_bytes = 2048;
  Harness h(o, limits_router());
  Client c(h.port());
  auto req = Client::make(bhttp::verb::get, "/1/summary", "", std::nullopt);
  req.set("X-Padding", std::string(4096, 'p'));
  const auto r = c.send(req);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 431u);
  EXPECT_NE(r.json()["error"].get<std::string>().find("2048 bytes"), std::string::npos);
}

TEST(HttpLimits, RateLimitTripsWith429AndRetryAfter) {
  auto o = options();
  o.rate_limit.requests_per_second = 0.1;  // one token per 10 s: the burst is what counts
  o.rate_limit.burst = 3;
  Harness h(o, limits_router());
  Client c(h.port());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.get("/1/summary").status(), 200u) << i;
  const auto r = c.get("/1/summary");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 429u);
  const int retry = std::stoi(r.header(bhttp::field::retry_after));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 10);
  EXPECT_NE(r.json()["error"].get<std::string>().find("rate limit"), std::string::npos);
  // The limit is per client, not per connection.
  Client other(h.port());
  EXPECT_EQ(other.get("/1/summary").status(), 429u);
}

}  // namespace
}  // namespace synthminer::http::test
