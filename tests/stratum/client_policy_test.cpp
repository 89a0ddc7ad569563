// The pool client's pure parts: URLs, back-off, failover/failback policy.
#include <gtest/gtest.h>

#include <set>

#include "stratum/backoff.h"
#include "stratum/failover.h"
#include "stratum/pool_url.h"

namespace synthminer::stratum {
namespace {

using namespace std::chrono_literals;

TEST(PoolUrl, Schemes) {
  auto tcp = parse_pool_url("stratum+tcp://pool.example.com:3333");
  ASSERT_TRUE(tcp) << tcp.error();
  EXPECT_EQ(tcp->host, "pool.example.com");
  EXPECT_EQ(tcp->port, 3333);
  EXPECT_FALSE(tcp->tls);
  EXPECT_EQ(tcp->host_port(), "pool.example.com:3333");

  auto ssl = parse_pool_url("stratum+ssl://eu.pool.example:443/");
  ASSERT_TRUE(ssl) << ssl.error();
  EXPECT_TRUE(ssl->tls);
  EXPECT_EQ(ssl->port, 443);
  auto tls = parse_pool_url("STRATUM+TLS://10.0.0.1:4443");
  ASSERT_TRUE(tls) << tls.error();
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->host, "10.0.0.1");
}

TEST(PoolUrl, ANodeIsHttpOrHttps) {
  auto http = parse_pool_url("http://127.0.0.1:18443");
  ASSERT_TRUE(http) << http.error();
  EXPECT_TRUE(http->node);
  EXPECT_FALSE(http->tls);
  EXPECT_EQ(http->port, 18443);
  auto https = parse_pool_url("HTTPS://node.example:8332/");
  ASSERT_TRUE(https) << https.error();
  EXPECT_TRUE(https->node);
  EXPECT_TRUE(https->tls);
  auto pool = parse_pool_url("stratum+tcp://pool:3333");
  ASSERT_TRUE(pool);
  EXPECT_FALSE(pool->node);
  // A URL with the RPC password in it is refused like a pool's.
  EXPECT_FALSE(parse_pool_url("http://user:hunter2@127.0.0.1:8332"));
}

TEST(PoolUrl, Ipv6) {
  auto v6 = parse_pool_url("stratum+tcp://[::1]:3333");
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_port(), "[::1]:3333");
  EXPECT_FALSE(parse_pool_url("stratum+tcp://[::1]"));
  EXPECT_FALSE(parse_pool_url("stratum+tcp://[::1:3333"));
}

TEST(PoolUrl, Refused) {
  for (const char* bad : {"", "pool:3333", "http://pool", "stratum+tcp://pool",
                          "stratum+tcp://:3333", "stratum+tcp://pool:0", "stratum+tcp://pool:65536",
                          "stratum+tcp://pool:33x", "stratum+tcp://user:pw@pool:3333",
                          "stratum+tcp://pool:3333/path", "stratum+tcp://po ol:3333"}) {
    EXPECT_FALSE(parse_pool_url(bad)) << bad;
  }
  EXPECT_NE(parse_pool_url("ftp://x:1").error().find("scheme"), std::string::npos);
}

TEST(PoolUrl, ErrorsNameThePositionNeverTheUrlsText) {
  // Each may hold a password: user info, a mistyped host, a mistyped port.
  for (const char* bad : {"stratum+tcp://worker:hunter2secret@pool:3333",
                          "stratum+tcp://hunter2 secret:3333", "stratum+tcp://pool:hunter2secret",
                          "hunter2secret://pool:3333", "stratum+tcp://pool:3333/hunter2secret"}) {
    const auto url = parse_pool_url(bad);
    ASSERT_FALSE(url) << bad;
    EXPECT_EQ(url.error().find("hunter2"), std::string::npos) << url.error();
  }
  const auto user_info = parse_pool_url("stratum+tcp://worker:hunter2secret@pool:3333");
  EXPECT_NE(user_info.error().find("user info (user:password@) at character 35"), std::string::npos)
      << user_info.error();
}

TEST(Backoff, GrowsWithinBoundsAndResets) {
  Backoff b(BackoffOptions{1000ms, 60000ms, 2.0, 0.5}, 42);
  EXPECT_EQ(b.next(), 1000ms);  // the first delay is exactly `initial`
  Millis base = 2000ms;
  for (int i = 1; i < 20; ++i) {
    const Millis d = b.next();
    const Millis capped = std::min(base, Millis(60000));
    EXPECT_GE(d, std::max(Millis(1000), capped / 2)) << i;
    EXPECT_LE(d, capped) << i;
    base *= 2;
  }
  EXPECT_EQ(b.attempts(), 20u);
  b.reset();
  EXPECT_EQ(b.next(), 1000ms);
}

TEST(Backoff, JitterSpreadsDelays) {
  std::set<int64_t> seen;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Backoff b(BackoffOptions{1000ms, 60000ms, 2.0, 0.5}, seed);
    for (int i = 0; i < 10; ++i) b.next();
    seen.insert(b.next().count());  // capped range [30 s, 60 s]
  }
  EXPECT_GT(seen.size(), 10u);
  for (int64_t d : seen) {
    EXPECT_GE(d, 30000);
    EXPECT_LE(d, 60000);
  }
}

TEST(Backoff, NoJitterIsExact) {
  Backoff b(BackoffOptions{10ms, 50ms, 2.0, 0.0}, 1);
  EXPECT_EQ(b.next(), 10ms);
  EXPECT_EQ(b.next(), 20ms);
  EXPECT_EQ(b.next(), 40ms);
  EXPECT_EQ(b.next(), 50ms);
  EXPECT_EQ(b.next(), 50ms);
}

class FailoverTest : public ::testing::Test {
 protected:
  using Clock = FailoverPolicy::Clock;
  FailoverOptions options() const {
    FailoverOptions o;
    o.failures_before_failover = 3;
    o.failback_after = 60s;
    o.probe_interval = 10s;
    o.min_dwell = 30s;
    return o;
  }
  Clock::time_point t0 = Clock::time_point() + 1000h;
};

TEST_F(FailoverTest, FailsOverAfterNFailuresAndWraps) {
  FailoverPolicy p(3, options(), t0);
  EXPECT_EQ(p.current(), 0u);
  EXPECT_FALSE(p.on_failure(t0));
  EXPECT_FALSE(p.on_failure(t0));
  EXPECT_TRUE(p.on_failure(t0));
  EXPECT_EQ(p.current(), 1u);
  EXPECT_EQ(p.failures(), 0u);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  EXPECT_EQ(p.current(), 2u);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  EXPECT_EQ(p.current(), 0u);  // round again
}

TEST_F(FailoverTest, HealthyResetsTheCount) {
  FailoverPolicy p(2, options(), t0);
  p.on_failure(t0);
  p.on_failure(t0);
  p.on_healthy();
  EXPECT_FALSE(p.on_failure(t0));
  EXPECT_FALSE(p.on_failure(t0));
  EXPECT_EQ(p.current(), 0u);
}

TEST_F(FailoverTest, OnePoolNeverMoves) {
  FailoverPolicy p(1, options(), t0);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(p.on_failure(t0));
  EXPECT_EQ(p.current(), 0u);
  EXPECT_TRUE(p.probe_candidates().empty());
}

TEST_F(FailoverTest, FailsBackOnlyAfterHealthyLongEnough) {
  FailoverPolicy p(3, options(), t0);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  ASSERT_EQ(p.current(), 2u);
  EXPECT_EQ(p.probe_candidates(), (std::vector<size_t>{0, 1}));

  // Pool 1 comes back first, pool 0 later; both must stay healthy 60 s.
  for (int s = 0; s <= 50; s += 10) p.on_probe(1, true, t0 + Millis(s * 1000));
  EXPECT_FALSE(p.failback_target(t0 + 50s));
  p.on_probe(1, true, t0 + 60s);
  EXPECT_EQ(p.failback_target(t0 + 60s), 1u);

  // Pool 0 healthy for 60 s too: it wins, being higher.
  for (int s = 20; s <= 80; s += 10) p.on_probe(0, true, t0 + Millis(s * 1000));
  EXPECT_EQ(p.failback_target(t0 + 80s), 0u);
}

TEST_F(FailoverTest, AFailedProbeRestartsTheClock) {
  FailoverPolicy p(2, options(), t0);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  ASSERT_EQ(p.current(), 1u);
  p.on_probe(0, true, t0 + 40s);
  p.on_probe(0, true, t0 + 90s);
  p.on_probe(0, false, t0 + 95s);  // a blip
  p.on_probe(0, true, t0 + 100s);
  EXPECT_FALSE(p.failback_target(t0 + 100s));
  p.on_probe(0, true, t0 + 150s);
  EXPECT_FALSE(p.failback_target(t0 + 150s));
  p.on_probe(0, true, t0 + 160s);
  EXPECT_EQ(p.failback_target(t0 + 160s), 0u);
}

TEST_F(FailoverTest, MinimumDwellAfterASwitch) {
  FailoverOptions o = options();
  o.min_dwell = 100s;
  FailoverPolicy p(2, o, t0);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  p.on_probe(0, true, t0 + 1s);
  p.on_probe(0, true, t0 + 61s);
  EXPECT_FALSE(p.failback_target(t0 + 61s));  // healthy enough, but we only just arrived
  p.on_probe(0, true, t0 + 101s);
  EXPECT_EQ(p.failback_target(t0 + 101s), 0u);
}

TEST_F(FailoverTest, FlappingPoolMustBeHealthyLongerNextTime) {
  FailoverPolicy p(2, options(), t0);
  for (int i = 0; i < 3; ++i) p.on_failure(t0);
  ASSERT_EQ(p.current(), 1u);
  p.on_probe(0, true, t0 + 30s);
  p.on_probe(0, true, t0 + 90s);
  ASSERT_EQ(p.failback_target(t0 + 90s), 0u);
  p.switch_to(0, t0 + 90s);

  // Pool 0 dies again 20 s after we came back: a flap.
  auto t = t0 + 110s;
  for (int i = 0; i < 3; ++i) p.on_failure(t);
  ASSERT_EQ(p.current(), 1u);
  EXPECT_EQ(p.required_healthy(0), 120s);
  p.on_probe(0, true, t + 40s);
  p.on_probe(0, true, t + 100s);
  EXPECT_FALSE(p.failback_target(t + 100s));  // 60 s is no longer enough
  p.on_probe(0, true, t + 160s);
  EXPECT_EQ(p.failback_target(t + 160s), 0u);

  // This time it holds for long: forgiven.
  p.switch_to(0, t + 160s);
  t += 1000s;
  for (int i = 0; i < 3; ++i) p.on_failure(t);
  EXPECT_EQ(p.required_healthy(0), 60s);
}

TEST_F(FailoverTest, NoFailbackFromTheTopPool) {
  FailoverPolicy p(2, options(), t0);
  p.on_probe(1, true, t0);
  p.on_probe(1, true, t0 + 100s);
  EXPECT_FALSE(p.failback_target(t0 + 100s));
}

}  // namespace
}  // namespace synthminer::stratum
