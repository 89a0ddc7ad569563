// DemoPool against a plain line client on loopback, and validate_share on its own.
#include <utility>  // before Asio: a Boost 1.74 bug

#include <boost/asio.hpp>
#include <chrono>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "hashcore/scan.h"
#include "stratum/demo_pool.h"
#include "stratum/demo_pool_share.h"
#include "stratum/demo_pool_template.h"
#include "stratum/hex.h"
#include "stratum/messages.h"
#include "stratum/work.h"

namespace synthminer::stratum {
namespace {

namespace asio = boost::asio;
using nlohmann::json;
using namespace std::chrono_literals;

// 2^-20: one hash in ~4096 meets it, found in milliseconds with the reference scan.
constexpr int kEasyBits = 12;
const double kEasy = difficulty_from_zero_bits(kEasyBits);

/// A blocking newline-framed client with timeouts: each read runs a private
/// io_context for at most the timeout.
class LineClient {
 public:
  explicit LineClient(uint16_t port) {
    boost::system::error_code ec;
    socket_.connect({asio::ip::address_v4::loopback(), port}, ec);
    connected_ = !ec;
    if (connected_) socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  }
  bool connected() const { return connected_; }

  void send(const std::string& line) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(line), ec);
  }
  uint64_t request(std::string_view method, const json& params) {
    const uint64_t id = next_id_++;
    send(make_request(id, method, params));
    return id;
  }

  /// The next line (without its newline), or nullopt on timeout or close.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 2s) {
    std::optional<size_t> got;
    asio::async_read_until(socket_, in_, '\n', [&](const boost::system::error_code& ec, size_t n) {
      if (!ec) got = n;
      closed_ = ec == asio::error::eof || ec == asio::error::connection_reset;
    });
    run(timeout);
    if (!got) return std::nullopt;
    std::string line(asio::buffers_begin(in_.data()), asio::buffers_begin(in_.data()) + *got);
    in_.consume(*got);
    line.pop_back();
    return line;
  }

  /// The next parsed message; skips nothing.
  std::optional<Incoming> read(std::chrono::milliseconds timeout = 2s) {
    auto line = read_line(timeout);
    if (!line) return std::nullopt;
    auto parsed = parse_line(*line);
    if (!parsed) return std::nullopt;
    return *parsed;
  }

  /// The response to `id`, skipping notifications.
  std::optional<Incoming> response(uint64_t id, std::chrono::milliseconds timeout = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = read(remaining(deadline));
      if (!m) return std::nullopt;
      if (m->kind == Incoming::Kind::kResponse && m->id == id) return m;
      note(*m);
    }
    return std::nullopt;
  }

  /// The next notification `method` (notes every notification it passes).
  std::optional<Incoming> notification(std::string_view method,
                                       std::chrono::milliseconds timeout = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = read(remaining(deadline));
      if (!m) return std::nullopt;
      note(*m);
      if (m->method == method) return m;
    }
    return std::nullopt;
  }

  /// Reads until at least `bytes` are buffered, or timeout. Returns the count buffered.
  size_t read_raw(size_t bytes, std::chrono::milliseconds timeout = 2s) {
    if (in_.size() < bytes) {
      asio::async_read(socket_, in_, asio::transfer_exactly(bytes - in_.size()),
                       [](const boost::system::error_code&, size_t) {});
      run(timeout);
    }
    return in_.size();
  }
  std::string buffered() const {
    return {asio::buffers_begin(in_.data()), asio::buffers_end(in_.data())};
  }

  /// True when the pool closes the connection within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_ && std::chrono::steady_clock::now() < deadline) {
      if (!read_line(remaining(deadline)) && !closed_) return false;
    }
    return closed_;
  }

  // Session state picked up from notifications.
  std::optional<Job> job;
  double difficulty = 0;
  Extranonce extranonce;

  /// subscribe + authorize, then the first set_difficulty and notify.
  bool handshake(const std::string& worker = "alice.rig1") {
    const auto sub = response(request("mining.subscribe", subscribe_params("test/1", {})));
    if (!sub) return false;
    auto parsed = parse_subscribe_result(sub->result);
    if (!parsed) return false;
    extranonce = parsed->extranonce;
    const auto auth = response(request("mining.authorize", authorize_params(worker, "x")));
    if (!auth || auth->result != true) return false;
    return job.has_value() || notification("mining.notify").has_value();
  }

  /// The submit's response.
  std::optional<Incoming> submit(const Share& share, const std::string& worker = "alice.rig1") {
    return response(request("mining.submit", submit_params(worker, share)));
  }

 private:
  static std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  }
  void run(std::chrono::milliseconds timeout) {
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!ioc_.stopped()) {  // timed out: cancel the read and let it finish
      boost::system::error_code ignored;
      socket_.cancel(ignored);
      ioc_.restart();
      ioc_.run();
    }
  }
  void note(const Incoming& m) {
    if (m.method == "mining.notify") {
      if (auto j = parse_notify(m.params)) job = *j;
    } else if (m.method == "mining.set_difficulty") {
      if (auto d = parse_set_difficulty(m.params)) difficulty = *d;
    } else if (m.method == "mining.set_extranonce") {
      if (auto e = parse_set_extranonce(m.params)) extranonce = *e;
    }
  }

  asio::io_context ioc_;
  asio::ip::tcp::socket socket_{ioc_};
  asio::streambuf in_;
  bool connected_ = false;
  bool closed_ = false;
  uint64_t next_id_ = 1;
};

/// The first nonce from 0 whose header meets (or, with `meets` false, misses)
/// the share target.
uint32_t find_nonce(const Job& job, const Extranonce& en, const Share& share, double difficulty,
                    uint32_t version, bool meets = true) {
  const auto header = share_header(job, en, share.extranonce2, version, share.ntime, 0);
  const auto target = *difficulty_to_target(difficulty);
  const auto scan = hashcore::scan_job_from_header(header, target);
  for (uint32_t nonce = 0;; ++nonce) {
    if (hashcore::meets_target(hashcore::header_hash(scan, nonce), target) == meets) return nonce;
  }
}

/// A share for the client's current job that meets its difficulty.
Share solve(const LineClient& c, uint8_t en2_fill = 1, std::optional<uint32_t> version_bits = {},
            uint32_t version_mask = 0) {
  Share s;
  s.job_id = c.job->job_id;
  s.extranonce2.assign(c.extranonce.extranonce2_size, en2_fill);
  s.ntime = c.job->ntime;
  s.version_bits = version_bits;
  const uint32_t version =
      version_bits ? (c.job->version & ~version_mask) | *version_bits : c.job->version;
  s.nonce = find_nonce(*c.job, c.extranonce, s, c.difficulty, version);
  return s;
}

int error_code_of(const Incoming& response) {
  // error_reason ends in " (code)" for the array form.
  const auto open = response.error.rfind('(');
  return open == std::string::npos ? 0 : std::stoi(response.error.substr(open + 1));
}

DemoPoolOptions easy_options() {
  DemoPoolOptions o;
  o.zero_bits = kEasyBits;
  o.job_interval = 0ms;
  o.seed = 42;
  return o;
}

class DemoPoolTest : public ::testing::Test {
 protected:
  void start(DemoPoolOptions options = easy_options()) {
    pool_ = std::make_unique<DemoPool>(std::move(options));
    auto port = pool_->start();
    ASSERT_TRUE(port.ok()) << port.error();
    ASSERT_NE(*port, 0);
    port_ = *port;
  }
  std::unique_ptr<LineClient> connect() {
    auto c = std::make_unique<LineClient>(port_);
    EXPECT_TRUE(c->connected());
    return c;
  }
  std::unique_ptr<DemoPool> pool_;
  uint16_t port_ = 0;
};

// ---- handshake and work ----

TEST_F(DemoPoolTest, SubscribeResultIsNestedWithDistinctExtranonce1) {
  start();
  auto a = connect();
  auto b = connect();
  const auto ra = a->response(a->request("mining.subscribe", subscribe_params("t", {})));
  const auto rb = b->response(b->request("mining.subscribe", subscribe_params("t", {})));
  ASSERT_TRUE(ra && rb);
  const json& r = ra->result;
  ASSERT_TRUE(r.is_array() && r.size() == 3) << r.dump();
  EXPECT_EQ(r[0][0][0], "mining.set_difficulty");
  EXPECT_EQ(r[0][1][0], "mining.notify");
  EXPECT_EQ(r[1].get<std::string>().size(), 8u);
  EXPECT_EQ(r[2], 4);
  EXPECT_NE(r[1], rb->result[1]);
  EXPECT_TRUE(pool_->wait_for_connections(2, 1s));
}

TEST_F(DemoPoolTest, AuthorizeThenDifficultyAndNotify) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  EXPECT_DOUBLE_EQ(c->difficulty, kEasy);
  ASSERT_TRUE(c->job);
  EXPECT_TRUE(c->job->clean_jobs);
  EXPECT_EQ(c->job->version, 0x20000000u);
  EXPECT_EQ(c->job->merkle_branch.size(), 3u);
  EXPECT_NEAR(static_cast<double>(c->job->ntime), static_cast<double>(now_ntime()), 5);
  EXPECT_EQ(pool_->current_job()->job_id, c->job->job_id);
}

TEST_F(DemoPoolTest, ValidShareAcceptedThenDuplicate) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const Share share = solve(*c);
  const auto first = c->submit(share);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->result, true) << first->error;
  EXPECT_TRUE(first->error.empty());
  const auto again = c->submit(share);
  ASSERT_TRUE(again);
  EXPECT_EQ(error_code_of(*again), 22) << again->error;

  ASSERT_TRUE(pool_->wait_for_shares(2, 1s));
  const auto shares = pool_->shares();
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_TRUE(shares[0].accepted);
  EXPECT_GE(shares[0].hash_difficulty, kEasy);
  EXPECT_EQ(shares[0].worker, "alice.rig1");
  EXPECT_EQ(shares[1].reject, Reject::kDuplicate);
  EXPECT_EQ(pool_->counts().accepted, 1u);
  EXPECT_EQ(pool_->counts().rejected, 1u);
}

TEST_F(DemoPoolTest, RejectionsCarryTheirCodes) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const Share good = solve(*c);

  Share unknown_job = good;
  unknown_job.job_id = "nope";
  EXPECT_EQ(error_code_of(*c->submit(unknown_job)), 21);

  Share early = good;
  early.ntime = c->job->ntime - 1;
  auto r = c->submit(early);
  EXPECT_EQ(error_code_of(*r), 20);
  EXPECT_NE(r->error.find("Ntime out of range"), std::string::npos) << r->error;
  Share late = good;
  late.ntime = c->job->ntime + kMaxNtimeRoll + 1;
  EXPECT_EQ(error_code_of(*c->submit(late)), 20);

  Share low = good;
  low.nonce = find_nonce(*c->job, c->extranonce, low, c->difficulty, c->job->version, false);
  EXPECT_EQ(error_code_of(*c->submit(low)), 23);

  EXPECT_EQ(error_code_of(*c->submit(good, "mallory")), 24);

  Share short_en2 = good;
  short_en2.extranonce2.pop_back();
  EXPECT_EQ(error_code_of(*c->submit(short_en2)), 20);

  Share rolled = good;
  rolled.version_bits = 0x00002000;  // no mask was negotiated
  r = c->submit(rolled);
  EXPECT_NE(r->error.find("Invalid version mask"), std::string::npos) << r->error;

  // None of those spent the good share.
  EXPECT_EQ(c->submit(good)->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(8, 1s));
  const auto shares = pool_->shares();
  EXPECT_EQ(shares[0].reject, Reject::kJobNotFound);
  EXPECT_EQ(shares[3].reject, Reject::kLowDifficulty);
  EXPECT_EQ(shares[4].reject, Reject::kUnauthorized);
  EXPECT_EQ(shares[5].reject, Reject::kExtranonce2Size);
  EXPECT_EQ(shares[6].reject, Reject::kInvalidVersionMask);
  EXPECT_TRUE(shares[7].accepted);
}

TEST_F(DemoPoolTest, MalformedSubmitAndUnsubscribedSubmit) {
  start();
  auto c = connect();
  auto r = c->response(c->request("mining.submit", json::array({"w", "1", "00", "zz", "1"})));
  ASSERT_TRUE(r);
  EXPECT_EQ(error_code_of(*r), 20);
  Share s;
  s.job_id = "1";
  s.extranonce2 = {0, 0, 0, 0};
  EXPECT_EQ(error_code_of(*c->submit(s)), 25);
}

TEST_F(DemoPoolTest, ConfigureGrantsRequestedMaskWithinPoolMask) {
  start();
  auto c = connect();
  auto r = c->response(c->request("mining.configure", configure_params(0x00ffe000)));
  ASSERT_TRUE(r);
  auto conf = parse_configure_result(r->result);
  ASSERT_TRUE(conf.ok()) << conf.error();
  EXPECT_TRUE(conf->version_rolling);
  EXPECT_EQ(conf->mask, 0x00ffe000u);
  ASSERT_TRUE(c->handshake());
  const Share rolled = solve(*c, 1, 0x00006000, conf->mask);
  EXPECT_EQ(c->submit(rolled)->result, true);
  Share outside = rolled;
  outside.version_bits = 0x10000000;  // in the pool's mask, not the granted one
  EXPECT_EQ(error_code_of(*c->submit(outside)), 20);
}

TEST_F(DemoPoolTest, ExtensionsAndUnknownMethods) {
  start();
  auto c = connect();
  EXPECT_EQ(c->response(c->request("mining.extranonce.subscribe", json::array()))->result, true);
  auto r = c->response(c->request("mining.get_transactions", json::array({"1"})));
  ASSERT_TRUE(r);
  EXPECT_EQ(error_code_of(*r), 20);
  EXPECT_NE(r->error.find("Not supported."), std::string::npos);
  EXPECT_EQ(c->response(c->request("mining.suggest_difficulty", json::array({0.5})))->result, true);
  ASSERT_TRUE(c->handshake());
  EXPECT_DOUBLE_EQ(c->difficulty, 0.5);
}

TEST_F(DemoPoolTest, ConfiguredUsersOnly) {
  auto o = easy_options();
  o.users = {{"alice", "secret"}};
  start(o);
  auto c = connect();
  c->response(c->request("mining.subscribe", subscribe_params("t", {})));
  EXPECT_EQ(c->response(c->request("mining.authorize", authorize_params("bob", "secret")))->result,
            false);
  EXPECT_EQ(
      c->response(c->request("mining.authorize", authorize_params("alice.rig", "wrong")))->result,
      false);
  EXPECT_EQ(
      c->response(c->request("mining.authorize", authorize_params("alice.rig", "secret")))->result,
      true);
}

TEST_F(DemoPoolTest, ZeroBitsSetTheDifficulty) {
  auto o = easy_options();
  o.zero_bits = 40;
  start(o);
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  EXPECT_DOUBLE_EQ(c->difficulty, 256.0);
}

TEST_F(DemoPoolTest, JobsRotateWithANewPreviousHash) {
  auto o = easy_options();
  o.job_interval = 50ms;
  start(o);
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const Job first = *c->job;
  ASSERT_TRUE(c->notification("mining.notify", 1s));
  EXPECT_NE(c->job->job_id, first.job_id);
  EXPECT_NE(c->job->prevhash, first.prevhash);
  EXPECT_TRUE(c->job->clean_jobs);
  // The old job is gone after a clean one.
  Share stale = solve(*c);
  stale.job_id = first.job_id;
  EXPECT_EQ(error_code_of(*c->submit(stale)), 21);
}

TEST_F(DemoPoolTest, CountsBlocks) {
  auto o = easy_options();
  o.nbits = 0x207fffff;  // regtest: easier than the share target, so every share is a block
  start(o);
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(1, 1s));
  EXPECT_EQ(pool_->counts().blocks, 1u);
  EXPECT_TRUE(pool_->shares()[0].block);
}

// ---- pool styles ----

TEST_F(DemoPoolTest, CkpoolStyle) {
  auto o = easy_options();
  o.style = PoolStyle::kCkpool;
  start(o);
  auto c = connect();
  const auto sub = c->response(c->request("mining.subscribe", subscribe_params("t", {})));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->result[0].size(), 1u);
  EXPECT_EQ(sub->result[0][0][0], "mining.notify");
  // Work arrives before any authorize.
  ASSERT_TRUE(c->notification("mining.notify"));
  EXPECT_EQ(c->job->job_id.size(), 16u);
  c->extranonce = parse_subscribe_result(sub->result)->extranonce;
  // Configure grants the pool's mask whatever was asked.
  auto conf = c->response(c->request("mining.configure", configure_params(0x00002000)));
  EXPECT_EQ(conf->result["version-rolling.mask"], "1fffe000");
  // Unknown methods go unanswered.
  c->request("mining.extranonce.subscribe", json::array());
  const auto auth = c->request("mining.authorize", authorize_params("w", "x"));
  const auto r = c->response(auth);
  ASSERT_TRUE(r);  // the extranonce.subscribe reply never came first
  Share low = solve(*c);
  low.nonce = find_nonce(*c->job, c->extranonce, low, c->difficulty, c->job->version, false);
  const auto rej = c->submit(low, "w");
  ASSERT_TRUE(rej);
  EXPECT_EQ(rej->result, false);
  EXPECT_EQ(rej->error, "Above target");
}

TEST_F(DemoPoolTest, P2poolStyleFlatSubscribe) {
  auto o = easy_options();
  o.style = PoolStyle::kP2pool;
  start(o);
  auto c = connect();
  const auto sub = c->response(c->request("mining.subscribe", subscribe_params("t", {})));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->result[0][0], "mining.notify");
  EXPECT_EQ(sub->result[1], "");
  ASSERT_TRUE(c->handshake());
  EXPECT_TRUE(c->extranonce.extranonce1.empty());
  EXPECT_EQ(c->submit(solve(*c))->result, true);
}

// ---- faults ----

TEST_F(DemoPoolTest, GarbageAndOversizedLines) {
  start();
  auto c = connect();
  ASSERT_TRUE(pool_->wait_for_connections(1, 1s));
  pool_->send_garbage();
  const auto line = c->read_line();
  ASSERT_TRUE(line);
  EXPECT_FALSE(parse_line(*line).ok());
  pool_->send_oversized_line(100 * 1024);
  EXPECT_EQ(c->read_raw(100 * 1024), 100u * 1024);
  EXPECT_EQ(c->buffered().find('\n'), std::string::npos);
}

TEST_F(DemoPoolTest, DropConnections) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  pool_->drop_connections();
  EXPECT_TRUE(c->wait_closed());
  EXPECT_TRUE(pool_->wait_for_connections(0, 1s));
  EXPECT_EQ(pool_->connections_total(), 1u);
}

TEST_F(DemoPoolTest, OverlongLineFromMinerClosesTheConnection) {
  auto o = easy_options();
  o.max_line_bytes = 1024;
  start(o);
  auto c = connect();
  c->send(std::string(4096, 'x'));
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(DemoPoolTest, ResponseDelayAndUnansweredMethods) {
  start();
  auto c = connect();
  pool_->set_response_delay(150ms);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c->response(c->request("mining.subscribe", subscribe_params("t", {}))));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
  pool_->set_response_delay(0ms);

  pool_->set_unanswered({"mining.authorize"});
  const auto id = c->request("mining.authorize", authorize_params("w", "x"));
  EXPECT_FALSE(c->response(id, 200ms));
  ASSERT_TRUE(pool_->wait_for_method("mining.authorize", 1, 1s));
  pool_->set_unanswered({});
  // The authorize was handled all the same: work arrived.
  EXPECT_TRUE(c->job || c->notification("mining.notify"));
  EXPECT_EQ(c->response(c->request("mining.extranonce.subscribe", json::array()))->result, true);

  pool_->set_unanswered({"*"});
  EXPECT_FALSE(c->response(c->request("mining.extranonce.subscribe", json::array()), 200ms));
}

TEST_F(DemoPoolTest, InjectedRejectsAreRecorded) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  pool_->set_reject_ratio(0.5, Reject::kJobNotFound);
  EXPECT_EQ(c->submit(solve(*c, 1))->result, true);
  EXPECT_EQ(error_code_of(*c->submit(solve(*c, 2))), 21);
  ASSERT_TRUE(pool_->wait_for_shares(2, 1s));
  const auto shares = pool_->shares();
  EXPECT_TRUE(shares[0].accepted);
  EXPECT_TRUE(shares[1].injected);
  EXPECT_EQ(pool_->counts().injected, 1u);
}

TEST_F(DemoPoolTest, ReconnectAndRequestsToTheMiner) {
  start();
  auto c = connect();
  ASSERT_TRUE(pool_->wait_for_connections(1, 1s));
  pool_->send_reconnect("127.0.0.1", 3333, 5);
  const auto m = c->notification("client.reconnect");
  ASSERT_TRUE(m);
  const auto rc = parse_reconnect(m->params);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(rc->port, 3333);
  EXPECT_EQ(rc->wait_seconds, 5u);
  const uint64_t id = pool_->send_request("client.get_version", json::array());
  const auto req = c->read();
  ASSERT_TRUE(req);
  EXPECT_EQ(req->method, "client.get_version");
  c->send(make_response(req->id, "test/1"));
  ASSERT_TRUE(pool_->wait_for_method("", 1, 1s));
  const auto got = pool_->received().back().message;
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.result, "test/1");
}

TEST_F(DemoPoolTest, DifficultyChangeAppliesFromTheNextJob) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const Job old_job = *c->job;
  pool_->set_difficulty(kEasy * 4);
  ASSERT_TRUE(c->notification("mining.set_difficulty"));
  EXPECT_DOUBLE_EQ(c->difficulty, kEasy * 4);
  // The current job keeps the old difficulty.
  c->difficulty = kEasy;
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  pool_->send_new_job(false);
  ASSERT_TRUE(c->notification("mining.notify"));
  EXPECT_FALSE(c->job->clean_jobs);
  EXPECT_EQ(c->job->prevhash, old_job.prevhash);
  c->difficulty = kEasy * 4;
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(2, 1s));
  EXPECT_DOUBLE_EQ(pool_->shares()[0].difficulty, kEasy);
  EXPECT_DOUBLE_EQ(pool_->shares()[1].difficulty, kEasy * 4);
  EXPECT_DOUBLE_EQ(pool_->difficulty(), kEasy * 4);
}

TEST_F(DemoPoolTest, SetExtranonceThenANewJob) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->handshake());
  const auto old_en1 = c->extranonce.extranonce1;
  pool_->send_set_extranonce(2, 6);
  ASSERT_TRUE(c->notification("mining.set_extranonce"));
  EXPECT_EQ(c->extranonce.extranonce1.size(), 2u);
  EXPECT_EQ(c->extranonce.extranonce2_size, 6u);
  ASSERT_TRUE(c->notification("mining.notify"));
  EXPECT_TRUE(c->job->clean_jobs);
  EXPECT_EQ(c->submit(solve(*c))->result, true);
  ASSERT_TRUE(pool_->wait_for_shares(1, 1s));
  EXPECT_EQ(pool_->shares()[0].extranonce1, c->extranonce.extranonce1);
}

TEST_F(DemoPoolTest, StopsQuicklyWithOpenConnections) {
  start();
  auto a = connect();
  auto b = connect();
  ASSERT_TRUE(a->handshake());
  ASSERT_TRUE(pool_->wait_for_connections(2, 1s));
  pool_->set_response_delay(10s);
  a->request("mining.extranonce.subscribe", json::array());
  const auto t0 = std::chrono::steady_clock::now();
  pool_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  EXPECT_TRUE(a->wait_closed());
  EXPECT_TRUE(b->wait_closed());
  pool_->stop();  // idempotent
}

TEST(DemoPoolConfig, BadOptionsAreErrors) {
  DemoPoolOptions o;
  o.extranonce2_size = 0;
  auto r = DemoPool(o).start();
  EXPECT_FALSE(r.ok());
  o = {};
  o.difficulty = -1;
  EXPECT_FALSE(DemoPool(o).start().ok());
  o = {};
  o.nbits = 0x21800000;
  EXPECT_FALSE(DemoPool(o).start().ok());
}

// ---- validate_share without a socket ----

class DemoPoolValidateShare : public ::testing::Test {
 protected:
  void SetUp() override {
    TemplateOptions t;
    t.nbits = 0x1d00ffff;
    BlockTemplate tpl(t, 7);
    job_ = tpl.next_job(true, 1700000000);
    en_ = {{1, 2, 3, 4}, 4};
    share_.job_id = job_.job_id;
    share_.extranonce2 = {0, 0, 0, 9};
    share_.ntime = job_.ntime + 10;
    share_.nonce = find_nonce(job_, en_, share_, kEasy, job_.version);
  }
  ShareCheck check(const Share& s, uint32_t mask = 0) {
    return validate_share(job_, en_, s, kEasy, mask);
  }
  Job job_;
  Extranonce en_;
  Share share_;
};

TEST_F(DemoPoolValidateShare, AcceptsAValidShare) {
  const auto c = check(share_);
  EXPECT_EQ(c.reject, Reject::kNone);
  EXPECT_GE(c.hash_difficulty, kEasy);
  EXPECT_FALSE(c.block);
  const auto header =
      share_header(job_, en_, share_.extranonce2, job_.version, share_.ntime, share_.nonce);
  EXPECT_EQ(c.hash, hashcore::sha256d(header));
}

TEST_F(DemoPoolValidateShare, EachReason) {
  Share s = share_;
  s.extranonce2 = {0, 0, 9};
  EXPECT_EQ(check(s).reject, Reject::kExtranonce2Size);
  s = share_;
  s.ntime = job_.ntime + kMaxNtimeRoll;
  EXPECT_NE(check(s).reject, Reject::kNtimeOutOfRange);
  s.ntime = job_.ntime + kMaxNtimeRoll + 1;
  EXPECT_EQ(check(s).reject, Reject::kNtimeOutOfRange);
  s = share_;
  s.version_bits = 0x20000000;
  EXPECT_EQ(check(s, 0x1fffe000).reject, Reject::kInvalidVersionMask);
  s = share_;
  s.nonce = find_nonce(job_, en_, s, kEasy, job_.version, false);
  EXPECT_EQ(check(s).reject, Reject::kLowDifficulty);
  // Rolled version bits change the header: the same nonce almost surely fails.
  s = share_;
  s.version_bits = 0x00002000;
  s.nonce = find_nonce(job_, en_, s, kEasy, job_.version | 0x00002000);
  EXPECT_EQ(check(s, 0x1fffe000).reject, Reject::kNone);
}

TEST_F(DemoPoolValidateShare, ABlockMeetsNbits) {
  job_.nbits = 0x207fffff;  // nbits is in the header: solve again
  share_.nonce = find_nonce(job_, en_, share_, kEasy, job_.version);
  const auto c = check(share_);
  EXPECT_EQ(c.reject, Reject::kNone);
  EXPECT_TRUE(c.block);
  job_.nbits = 0x1d00ffff;
  share_.nonce = find_nonce(job_, en_, share_, kEasy, job_.version);
  EXPECT_FALSE(check(share_).block);
}

TEST(DemoPoolShare, ParseSubmitAndReasons) {
  auto ok = parse_submit(json::array({"w", "j", "0a0b", "6553f100", "0000002a", "00002000"}));
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok->worker, "w");
  EXPECT_EQ(ok->share.extranonce2, (std::vector<uint8_t>{10, 11}));
  EXPECT_EQ(ok->share.nonce, 42u);
  EXPECT_EQ(ok->share.version_bits, 0x2000u);
  EXPECT_FALSE(parse_submit(json::array({"w", "j", "0a0", "6553f100", "0000002a"})).ok());
  EXPECT_FALSE(parse_submit(json::array({"w", "j", "0a0b", "6553f1", "0000002a"})).ok());
  EXPECT_FALSE(parse_submit(json::array({"w", "j"})).ok());
  EXPECT_EQ(reject_code(Reject::kDuplicate), 22);
  EXPECT_EQ(reject_message(Reject::kJobNotFound), "Job not found");
  EXPECT_EQ(ckpool_reason(Reject::kLowDifficulty), "Above target");
  EXPECT_DOUBLE_EQ(difficulty_from_zero_bits(32), 1.0);
  EXPECT_DOUBLE_EQ(difficulty_from_zero_bits(16), 1.0 / 65536);
}

}  // namespace
}  // namespace synthminer::stratum
