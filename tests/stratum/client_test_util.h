// Helpers for the pool client's tests: a listener that records everything,
// a loop that runs the io_context until a condition holds, and a brute-force
// share finder for very low difficulties.
#pragma once

#include <utility>

#include <gtest/gtest.h>
#include <boost/asio.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "demo_pool/demo_pool.h"
#include "hashcore/sha256.h"
#include "protocol/work.h"
#include "stratum/client.h"

namespace synthminer::stratum::testing {

using namespace std::chrono_literals;

struct Recorder : protocol::WorkListener {
  std::vector<protocol::WorkItem> jobs;
  std::vector<protocol::ShareResult> results;
  std::vector<protocol::ConnectionEvent> states;
  std::vector<double> difficulties;

  void on_job(const protocol::WorkItem& e) override { jobs.push_back(e); }
  void on_difficulty(size_t, double d) override { difficulties.push_back(d); }
  void on_share_result(const protocol::ShareResult& r) override { results.push_back(r); }
  void on_connection_state(const protocol::ConnectionEvent& e) override { states.push_back(e); }

  size_t count_state(protocol::ConnectionState s, std::optional<size_t> pool = {}) const {
    size_t n = 0;
    for (const auto& e : states) n += e.state == s && (!pool || e.pool == *pool);
    return n;
  }
  size_t count_fate(protocol::ShareFate f) const {
    size_t n = 0;
    for (const auto& r : results) n += r.fate == f;
    return n;
  }
};

/// Runs `io` until `done()` or `timeout`; true when done.
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(5ms);
  }
  return true;
}

/// Runs `io` for `duration` whatever happens.
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  run_until(
      io, [] { return false; }, duration);
}

/// A share for `job` that meets its target, found by trying nonces from
/// `first_nonce`; `version_bits` (inside the job's mask) roll the version.
inline std::optional<protocol::Share> find_share(const protocol::WorkItem& job,
                                                 uint32_t first_nonce = 0,
                                                 std::optional<uint32_t> version_bits = {},
                                                 uint8_t en2_fill = 0) {
  protocol::Share share;
  share.job_id = job.job.job_id;
  share.extranonce2.assign(job.extranonce.extranonce2_size, en2_fill);
  share.ntime = job.job.ntime;
  share.version_bits = version_bits;
  const uint32_t version =
      version_bits ? (job.job.version & ~job.version_mask) | *version_bits : job.job.version;
  for (uint32_t nonce = first_nonce; nonce < first_nonce + 1000000; ++nonce) {
    const auto header = protocol::share_header(job.job, job.extranonce, share.extranonce2, version,
                                               share.ntime, nonce);
    if (hashcore::meets_target(hashcore::sha256d(header), job.share_target)) {
      share.nonce = nonce;
      return share;
    }
  }
  return std::nullopt;
}

/// Options for one pool at 127.0.0.1:port, with short test timeouts.
inline ClientOptions test_options(std::vector<uint16_t> ports) {
  ClientOptions o;
  for (uint16_t port : ports) {
    PoolOptions p;
    p.url = "stratum+tcp://127.0.0.1:" + std::to_string(port);
    p.user = "tester.rig1";
    p.password = std::string("x");  // a literal here trips GCC 12's -Wrestrict (a false positive)
    o.pools.push_back(p);
  }
  o.connect_timeout = 1000ms;
  o.request_timeout = 1000ms;
  o.job_timeout = 5000ms;
  o.backoff.initial = 20ms;
  o.backoff.max = 100ms;
  o.failover.failures_before_failover = 2;
  o.failover.probe_interval = 50ms;
  o.failover.failback_after = 150ms;
  o.failover.min_dwell = 100ms;
  return o;
}

/// A client on `io` with `options`, or a failed test.
inline std::shared_ptr<Client> make_client(boost::asio::io_context& io, ClientOptions options,
                                           protocol::WorkListener& listener) {
  auto client = Client::create(io, std::move(options), listener);
  if (!client) throw std::runtime_error(client.error());
  return std::move(client).value();
}

/// A client on the test's own io_context against a DemoPool on loopback.
/// TearDown stops the client and checks every share was accounted for.
class ClientAgainstDemoPool : public ::testing::Test {
 protected:
  /// DemoPool with easy shares (2^-28: one hash in 16) and no job rotation,
  /// then whatever `tweak` changes.
  void start_pool(const std::function<void(demo_pool::DemoPoolOptions&)>& tweak = {}) {
    demo_pool::DemoPoolOptions o;
    o.zero_bits = 4;
    o.job_interval = 0ms;
    if (tweak) tweak(o);
    pool = std::make_unique<demo_pool::DemoPool>(o);
    auto port = pool->start();
    ASSERT_TRUE(port) << port.error();
  }
  void start_client(const std::function<void(ClientOptions&)>& tweak = {}) {
    ClientOptions o = test_options({pool->port()});
    if (tweak) tweak(o);
    client = make_client(io, o, rec);
    client->start();
  }
  /// Authorized with a job in hand.
  bool wait_ready(std::chrono::milliseconds timeout = 3s) {
    return run_until(
        io, [&] { return client->ready() && !rec.jobs.empty(); }, timeout);
  }
  void TearDown() override {
    if (client) {
      client->stop();
      run_for(io, 20ms);
      const protocol::ShareStats s = client->share_stats(0);
      EXPECT_TRUE(s.balanced());
      EXPECT_EQ(s.pending, 0u);  // stop() accounts for everything
    }
    if (pool) pool->stop();
  }

  boost::asio::io_context io;
  Recorder rec;
  std::unique_ptr<demo_pool::DemoPool> pool;
  std::shared_ptr<Client> client;
};

/// A DemoPool on loopback (`port`, or any free one) with easy shares (one
/// hash in 16) and no job rotation, started, or a failed test.
inline std::unique_ptr<demo_pool::DemoPool> started_demo_pool(uint16_t port = 0) {
  demo_pool::DemoPoolOptions o;
  o.port = port;
  o.zero_bits = 4;
  o.job_interval = 0ms;
  auto pool = std::make_unique<demo_pool::DemoPool>(o);
  auto started = pool->start();
  if (!started) throw std::runtime_error(started.error());
  return pool;
}

/// A client on the test's own io_context against pools the test owns
/// (failover, hostile pools). TearDown stops the client and checks every
/// share of every pool was accounted for.
class ClientOnPools : public ::testing::Test {
 protected:
  void start_client(std::vector<uint16_t> ports,
                    const std::function<void(ClientOptions&)>& tweak = {}) {
    ClientOptions o = test_options(std::move(ports));
    if (tweak) tweak(o);
    client = make_client(io, o, rec);
    client->start();
  }
  /// Authorized on pool `pool`, with a job from it in hand.
  bool ready_on(size_t pool, std::chrono::milliseconds timeout = 5s) {
    return run_until(
        io,
        [&] {
          return client->ready() && client->current_pool() == pool && !rec.jobs.empty() &&
                 rec.jobs.back().pool == pool;
        },
        timeout);
  }
  void TearDown() override {
    if (client) {
      client->stop();
      run_for(io, 20ms);
      for (const protocol::ShareStats& s : client->share_stats()) EXPECT_TRUE(s.balanced());
    }
  }

  boost::asio::io_context io;
  Recorder rec;
  std::shared_ptr<Client> client;
};

}  // namespace synthminer::stratum::testing
