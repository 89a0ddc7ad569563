// The DemoPool tests' plain line client, its helpers and fixture.
#pragma once

#include <utility>  // before Asio: a Boost 1.74 bug

#include <boost/asio.hpp>
#include <chrono>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "demo_pool/demo_pool.h"
#include "demo_pool/demo_pool_share.h"
#include "demo_pool/demo_pool_template.h"
#include "hashcore/scan.h"
#include "protocol/hex.h"
#include "protocol/messages.h"
#include "protocol/work.h"

namespace synthminer::demo_pool::testing {

namespace asio = boost::asio;
using nlohmann::json;
using namespace std::chrono_literals;

// 2^-20: one hash in ~4096 meets it, found in milliseconds with the reference scan.
inline constexpr int kEasyBits = 12;
inline const double kEasy = difficulty_from_zero_bits(kEasyBits);

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
  uint64_t request(std::string_view method, const protocol::json& params) {
    const uint64_t id = next_id_++;
    send(protocol::make_request(id, method, params));
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
  std::optional<protocol::Incoming> read(std::chrono::milliseconds timeout = 2s) {
    auto line = read_line(timeout);
    if (!line) return std::nullopt;
    auto parsed = protocol::parse_line(*line);
    if (!parsed) return std::nullopt;
    return *parsed;
  }

  /// The response to `id`, skipping notifications.
  std::optional<protocol::Incoming> response(uint64_t id, std::chrono::milliseconds timeout = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = read(remaining(deadline));
      if (!m) return std::nullopt;
      if (m->kind == protocol::Incoming::Kind::kResponse && m->id == id) return m;
      note(*m);
    }
    return std::nullopt;
  }

  /// The next notification `method` (notes every notification it passes).
  std::optional<protocol::Incoming> notification(std::string_view method,
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
  std::optional<protocol::Job> job;
  double difficulty = 0;
  protocol::Extranonce extranonce;

  /// subscribe + authorize, then the first set_difficulty and notify.
  bool handshake(const std::string& worker = "alice.rig1") {
    const auto sub =
        response(request("mining.subscribe", protocol::subscribe_params("test/1", {})));
    if (!sub) return false;
    auto parsed = protocol::parse_subscribe_result(sub->result);
    if (!parsed) return false;
    extranonce = parsed->extranonce;
    const auto auth =
        response(request("mining.authorize", protocol::authorize_params(worker, "x")));
    if (!auth || auth->result != true) return false;
    return job.has_value() || notification("mining.notify").has_value();
  }

  /// The submit's response.
  std::optional<protocol::Incoming> submit(const protocol::Share& share,
                                           const std::string& worker = "alice.rig1") {
    return response(request("mining.submit", protocol::submit_params(worker, share)));
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
  void note(const protocol::Incoming& m) {
    if (m.method == "mining.notify") {
      if (auto j = protocol::parse_notify(m.params)) job = *j;
    } else if (m.method == "mining.set_difficulty") {
      if (auto d = protocol::parse_set_difficulty(m.params)) difficulty = *d;
    } else if (m.method == "mining.set_extranonce") {
      if (auto e = protocol::parse_set_extranonce(m.params)) extranonce = *e;
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
inline uint32_t find_nonce(const protocol::Job& job, const protocol::Extranonce& en,
                           const protocol::Share& share, double difficulty, uint32_t version,
                           bool meets = true) {
  const auto header = protocol::share_header(job, en, share.extranonce2, version, share.ntime, 0);
  const auto target = *protocol::difficulty_to_target(difficulty);
  const auto scan = hashcore::scan_job_from_header(header, target);
  for (uint32_t nonce = 0;; ++nonce) {
    if (hashcore::meets_target(hashcore::header_hash(scan, nonce), target) == meets) return nonce;
  }
}

/// A share for the client's current job that meets its difficulty.
inline protocol::Share solve(const LineClient& c, uint8_t en2_fill = 1,
                             std::optional<uint32_t> version_bits = {}, uint32_t version_mask = 0) {
  protocol::Share s;
  s.job_id = c.job->job_id;
  s.extranonce2.assign(c.extranonce.extranonce2_size, en2_fill);
  s.ntime = c.job->ntime;
  s.version_bits = version_bits;
  const uint32_t version =
      version_bits ? (c.job->version & ~version_mask) | *version_bits : c.job->version;
  s.nonce = find_nonce(*c.job, c.extranonce, s, c.difficulty, version);
  return s;
}

inline int error_code_of(const protocol::Incoming& response) {
  // error_reason ends in " (code)" for the array form.
  const auto open = response.error.rfind('(');
  return open == std::string::npos ? 0 : std::stoi(response.error.substr(open + 1));
}

inline DemoPoolOptions easy_options() {
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

}  // namespace synthminer::demo_pool::testing
