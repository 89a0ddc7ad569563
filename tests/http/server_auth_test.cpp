// Bearer-token enforcement by the running server: which requests need the
// token, missing / wrong / right tokens, live token replacement, and that
// the token never comes back in an answer.
#include <gtest/gtest.h>

#include "tests/http/http_test_util.h"

namespace synthminer::http::test {
namespace {

const std::string kToken = "s3cret-token-0123456789";

Router auth_router() {
  Router r;
  EXPECT_TRUE(r.add({Verb::get, "/1/summary", [](Request, Responder res) {
                       res.send({{"ok", true}});
                     }}));
  Route secret{Verb::get, "/1/secret", [](Request, Responder res) { res.send({{"ok", true}}); }};
  secret.requires_auth = true;
  EXPECT_TRUE(r.add(std::move(secret)));
  EXPECT_TRUE(r.add({Verb::post, "/1/pause", [](Request, Responder res) {
                       res.send({{"paused", true}});
                     }}));
  return r;
}

ServerOptions options(std::optional<std::string> token, std::string host = "127.0.0.1") {
  auto o = test_options();
  o.token = std::move(token);
  o.host = std::move(host);
  return o;
}

TEST(HttpAuth, LoopbackGetNeedsNoToken) {
  Harness h(options(std::nullopt), auth_router());
  Client c(h.port());
  const auto r = c.get("/1/summary");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 200u);
}

TEST(HttpAuth, PostWithoutConfiguredTokenIsRefusedWithTheFix) {
  Harness h(options(std::nullopt), auth_router());
  Client c(h.port());
  const auto r = c.post("/1/pause", "", "anything-at-all");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 403u);
  EXPECT_NE(r.json()["error"].get<std::string>().find("set api.token"), std::string::npos);
}

TEST(HttpAuth, PostNeedsTheRightToken) {
  Harness h(options(kToken), auth_router());
  Client c(h.port());
  const auto missing = c.post("/1/pause", "");
  ASSERT_TRUE(missing.ok) << missing.error;
  EXPECT_EQ(missing.status(), 401u);
  EXPECT_EQ(missing.header(bhttp::field::www_authenticate), "Bearer");
  EXPECT_NE(missing.json()["error"].get<std::string>().find("Authorization"), std::string::npos);

  const auto wrong = c.post("/1/pause", "", kToken + "x");
  ASSERT_TRUE(wrong.ok) << wrong.error;
  EXPECT_EQ(wrong.status(), 401u);
  EXPECT_EQ(wrong.json()["error"], "invalid token");
  EXPECT_EQ(wrong.raw.body().find(kToken), std::string::npos);

  const auto right = c.post("/1/pause", "", kToken);
  ASSERT_TRUE(right.ok) << right.error;
  EXPECT_EQ(right.status(), 200u);
  EXPECT_EQ(right.json()["paused"], true);
}

TEST(HttpAuth, WrongSchemeIsRefused) {
  Harness h(options(kToken), auth_router());
  Client c(h.port());
  auto req = Client::make(bhttp::verb::post, "/1/pause", "", std::nullopt);
  req.set(bhttp::field::authorization, "Basic " + kToken);
  const auto r = c.send(req);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 401u);
  EXPECT_EQ(r.raw.body().find(kToken), std::string::npos);
}

TEST(HttpAuth, RouteCanRequireTokenForGet) {
  Harness h(options(kToken), auth_router());
  Client c(h.port());
  EXPECT_EQ(c.get("/1/secret").status(), 401u);
  EXPECT_EQ(c.get("/1/secret", "nope-nope-nope").status(), 401u);
  EXPECT_EQ(c.get("/1/secret", kToken).status(), 200u);
}

TEST(HttpAuth, NonLoopbackListenerNeedsTokenForEveryRequest) {
  Harness h(options(kToken, "0.0.0.0"), auth_router());
  Client c(h.port());
  const auto missing = c.get("/1/summary");
  ASSERT_TRUE(missing.ok) << missing.error;
  EXPECT_EQ(missing.status(), 401u);
  const auto wrong = c.get("/1/summary", "0000000000000000000000");
  EXPECT_EQ(wrong.status(), 401u);
  const auto right = c.get("/1/summary", kToken);
  EXPECT_EQ(right.status(), 200u);
}

TEST(HttpAuth, SetTokenReplacesTheTokenLive) {
  Harness h(options(kToken), auth_router());
  Client c(h.port());
  ASSERT_EQ(c.post("/1/pause", "", kToken).status(), 200u);
  const std::string fresh = "fresh-token-9876543210";
  h.server().set_token(fresh);
  EXPECT_EQ(c.post("/1/pause", "", kToken).status(), 401u);
  EXPECT_EQ(c.post("/1/pause", "", fresh).status(), 200u);
  h.server().set_token(std::nullopt);
  EXPECT_EQ(c.post("/1/pause", "", fresh).status(), 403u);
}

TEST(HttpAuth, AnOpenLoopbackTakesPostWithoutATokenUntilOneIsSet) {
  auto o = options(std::nullopt);
  o.open_loopback = true;
  Harness h(std::move(o), auth_router());
  Client c(h.port());
  EXPECT_EQ(c.post("/1/pause", "").status(), 200u);
  EXPECT_EQ(c.get("/1/secret").status(), 200u);
  h.server().set_token(kToken);
  EXPECT_EQ(c.post("/1/pause", "").status(), 401u);
  EXPECT_EQ(c.post("/1/pause", "", kToken).status(), 200u);
  h.server().set_token("");  // "" is none: open again
  EXPECT_EQ(c.post("/1/pause", "").status(), 200u);
}

TEST(HttpAuth, AuthIsCheckedBeforeTheBodyIsRead) {
  Harness h(options(kToken), auth_router());
  Client c(h.port());
  // An unauthenticated client is turned away without the server taking its body.
  const auto r = c.post("/1/pause", std::string(32 * 1024, ' '));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status(), 401u);
  EXPECT_FALSE(r.raw.keep_alive());
}

}  // namespace
}  // namespace synthminer::http::test
