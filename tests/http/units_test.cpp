// The server's parts without sockets: router, token checks, listen policy,
// rate limiter (with an explicit clock).
#include <gtest/gtest.h>

#include "http/auth.h"
#include "http/rate_limiter.h"
#include "http/router.h"

namespace synthminer::http {
namespace {

void ok_handler(Request, Responder res) {
  res.send(nlohmann::json::object());
}

TEST(Router, MatchesMethodAndExactPath) {
  Router r;
  ASSERT_TRUE(r.add({Verb::get, "/1/pools", ok_handler}));
  ASSERT_TRUE(r.add({Verb::post, "/1/pools", ok_handler}));
  EXPECT_FALSE(r.add({Verb::get, "/1/pools", ok_handler})) << "duplicate";
  EXPECT_FALSE(r.add({Verb::get, "/1/none", nullptr})) << "no handler";

  const auto get = r.find(Verb::get, "/1/pools");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->method, Verb::get);
  const auto put = r.find(Verb::put, "/1/pools");
  EXPECT_EQ(put.route, nullptr);
  EXPECT_TRUE(put.path_known);
  EXPECT_EQ(put.allow, "GET, HEAD, POST");
  // HEAD is served by the GET route.
  const auto head = r.find(Verb::head, "/1/pools");
  ASSERT_NE(head.route, nullptr);
  EXPECT_EQ(head.route->method, Verb::get);
  const auto other = r.find(Verb::get, "/1/pools/");
  EXPECT_EQ(other.route, nullptr);
  EXPECT_FALSE(other.path_known);
}

TEST(Auth, BearerTokenParsing) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer   abc  "), "abc");
  EXPECT_EQ(bearer_token("BEARER\tabc"), "abc");
  EXPECT_FALSE(bearer_token("Bearer"));
  EXPECT_FALSE(bearer_token("Bearer "));
  EXPECT_FALSE(bearer_token("Bearerabc"));
  EXPECT_FALSE(bearer_token("Basic abc"));
}

TEST(Auth, ConstantTimeEqualCompares) {
  EXPECT_TRUE(constant_time_equal("token-1", "token-1"));
  EXPECT_FALSE(constant_time_equal("token-1", "token-2"));
  EXPECT_FALSE(constant_time_equal("token-1", "token-1x"));
  EXPECT_FALSE(constant_time_equal("", "x"));
}

TEST(Auth, WhichRequestsNeedAToken) {
  EXPECT_FALSE(needs_token(Verb::get, true, false));
  EXPECT_TRUE(needs_token(Verb::get, true, true));
  EXPECT_TRUE(needs_token(Verb::get, false, false));
  EXPECT_TRUE(needs_token(Verb::post, true, false));
  EXPECT_TRUE(needs_token(Verb::delete_, true, false));
  // The demo's open loopback: nothing on loopback, everything beyond it.
  EXPECT_FALSE(needs_token(Verb::post, true, false, true));
  EXPECT_FALSE(needs_token(Verb::get, true, true, true));
  EXPECT_TRUE(needs_token(Verb::post, false, false, true));
  EXPECT_TRUE(needs_token(Verb::get, false, false, true));
}

TEST(Auth, CheckBearerNeverEchoesTheToken) {
  const std::optional<std::string> token = "the-real-token-123";
  EXPECT_FALSE(check_bearer("Bearer the-real-token-123", token));
  const auto wrong = check_bearer("Bearer the-real-token-12", token);
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, Status::unauthorized);
  EXPECT_EQ(wrong->body.dump().find("the-real-token"), std::string::npos);
  const auto none = check_bearer("Bearer x", std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, Status::forbidden);
  EXPECT_EQ(check_bearer("Bearer x", std::string())->status, Status::forbidden);
}

TEST(Auth, ListenPolicy) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.4.5.6"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("::ffff:127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("192.168.1.10"));
  EXPECT_FALSE(is_loopback_host("example.com"));

  EXPECT_FALSE(check_listen_security("127.0.0.1", 4048, std::nullopt));
  EXPECT_FALSE(check_listen_security("0.0.0.0", 4048, std::string("tok")));
  const auto refused = check_listen_security("0.0.0.0", 4048, std::string());
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->message.find("0.0.0.0:4048"), std::string::npos);
  EXPECT_NE(refused->message.find("api.token"), std::string::npos);
  EXPECT_TRUE(check_listen_security("::", 4048, std::nullopt));
}

using Clock = RateLimiter::Clock;

TEST(RateLimiter, BurstThenRefill) {
  RateLimiter limiter({/*requests_per_second=*/2, /*burst=*/3, /*max_clients=*/16});
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.acquire("a", t0).allowed) << i;
  const auto refused = limiter.acquire("a", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::seconds(1));
  EXPECT_TRUE(limiter.acquire("b", t0).allowed) << "buckets are per client";
  EXPECT_TRUE(limiter.acquire("a", t0 + std::chrono::milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.acquire("a", t0 + std::chrono::milliseconds(500)).allowed);
  // Refill stops at the burst size.
  const auto later = t0 + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.acquire("a", later).allowed) << i;
  EXPECT_FALSE(limiter.acquire("a", later).allowed);
}

TEST(RateLimiter, RetryAfterRoundsUp) {
  RateLimiter limiter({0.25, 1, 16});
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  EXPECT_TRUE(limiter.acquire("a", t0).allowed);
  EXPECT_EQ(limiter.acquire("a", t0).retry_after, std::chrono::seconds(4));
}

TEST(RateLimiter, ZeroRateDisablesLimiting) {
  RateLimiter limiter({0, 1, 16});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.acquire("a", Clock::now()).allowed);
}

TEST(RateLimiter, ClientTableStaysBounded) {
  RateLimiter limiter({1, 2, 4});
  const auto t0 = Clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(limiter.acquire(std::to_string(i), t0).allowed);
    EXPECT_LE(limiter.clients(), 4u);
  }
  // A busy client evicted only after idle ones: the newest are all still tracked.
  EXPECT_TRUE(limiter.acquire("99", t0).allowed);
  EXPECT_FALSE(limiter.acquire("99", t0).allowed);
}

}  // namespace
}  // namespace synthminer::http
