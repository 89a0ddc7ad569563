// demo_pool::DemoPool: a small but real Stratum v1 server on 127.0.0.1 for the
// --demo mode and the tests. It issues jobs from a synthetic block template,
// validates every share by rebuilding the header (validate_share), records
// each share and its verdict, and can inject the faults real pools produce.
//
// Threads: DemoPool owns one io_context and the one thread that runs it;
// every socket, timer and session lives on that thread. The public methods
// may be called from any thread: the observers read state kept under a
// mutex; the fault actions post to the io thread and return at once (they
// take effect in call order); the fault settings apply to the next message.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "demo_pool/demo_pool_share.h"
#include "protocol/job.h"
#include "protocol/messages.h"
#include "protocol/result.h"

namespace synthminer::demo_pool {

/// Which real pool's habits DemoPool imitates (POOLS.md).
enum class PoolStyle {
  /// Nested subscribe result with set_difficulty and notify subscriptions;
  /// errors as [code, "message", null]; configure grants requested & mask;
  /// work (set_difficulty + notify) after the authorize reply.
  kStandard,
  /// ckpool: one notify subscription; 16-hex-digit job ids; work right after
  /// the subscribe reply, before authorize; rejections as
  /// {"result":false,"error":null,"reject-reason":"Above target"}; configure
  /// always grants the pool's mask; suggest_difficulty honoured only after
  /// authorize and only as an integer, never answered; unknown methods
  /// (mining.extranonce.subscribe included) never answered.
  kCkpool,
  /// p2pool: flat subscribe result [["mining.notify", id], "", n2size] with an
  /// empty extranonce1, whatever extranonce1_size says; otherwise standard.
  kP2pool,
};

struct DemoPoolOptions {
  uint16_t port = 0;  ///< on 127.0.0.1; 0 picks a free port (see DemoPool::port)
  PoolStyle style = PoolStyle::kStandard;
  size_t extranonce1_size = 4;    ///< bytes, 0..8; distinct per connection when > 0
  uint32_t extranonce2_size = 4;  ///< bytes, 1..16
  double difficulty = 1.0;        ///< share difficulty, > 0; fractions allowed
  /// When set, the share difficulty is 2^(bits - 32) (the seed demo's "N
  /// leading zero bits"), overriding `difficulty`. 0..255.
  std::optional<int> zero_bits;
  bool honour_suggested_difficulty = true;  ///< apply mining.suggest_difficulty
  uint32_t version_mask = 0x1fffe000;       ///< bits the pool lets miners roll
  uint32_t version = 0x20000000;
  uint32_t nbits = 0x1c00ffff;  ///< network target: a share meeting it counts as a block
  size_t merkle_branch_size = 3;
  /// A new block (new previous hash, clean_jobs true) this often; 0: never.
  std::chrono::milliseconds job_interval{30000};
  /// Accepted (user, password) pairs; empty accepts anyone. A worker
  /// "user.rig" matches user "user".
  std::vector<std::pair<std::string, std::string>> users;
  size_t max_line_bytes = 16 * 1024;  ///< a longer line from a miner closes its connection
  size_t max_records = 100000;        ///< shares and messages kept for shares()/received()
  uint64_t seed = 0;                  ///< template randomness; 0: random
};

/// 2^(bits - 32): the share difficulty of a target with `bits` leading zero bits.
double difficulty_from_zero_bits(int bits);

/// One mining.submit and what DemoPool made of it.
struct ShareRecord {
  uint64_t session = 0;              ///< connection number, from 1
  std::string worker;                ///< as submitted
  protocol::Share share;             ///< empty when the params did not parse (kMalformed)
  std::vector<uint8_t> extranonce1;  ///< the session's at the time
  double difficulty = 0;             ///< share difficulty it was judged at (0 if never hashed)
  double hash_difficulty = 0;        ///< what its hash achieves (0 if never hashed)
  bool accepted = false;
  Reject reject = Reject::kNone;  ///< why not accepted
  bool injected = false;          ///< rejected by set_reject_ratio although valid
  bool block = false;             ///< accepted and meets the nbits target
  bool answered = true;           ///< false when set_unanswered swallowed the reply
};

struct ShareCounts {
  uint64_t accepted = 0;
  uint64_t rejected = 0;  ///< injected ones included
  uint64_t injected = 0;
  uint64_t blocks = 0;
};

/// One line a miner sent (requests, notifications and responses).
struct ReceivedMessage {
  uint64_t session = 0;
  protocol::Incoming message;
};

class DemoPool {
 public:
  explicit DemoPool(DemoPoolOptions options = {});
  /// Stops the pool (see stop()).
  ~DemoPool();
  DemoPool(const DemoPool&) = delete;
  DemoPool& operator=(const DemoPool&) = delete;

  /// Validates the options, binds 127.0.0.1:port, issues the first job and
  /// starts the io thread. Returns the bound port, or why it could not start.
  /// Call once.
  protocol::Result<uint16_t> start();
  /// Closes the listener and every connection and joins the io thread.
  /// Idempotent; returns within milliseconds.
  void stop();
  /// The current job lasts a full job_interval from now (the demo calls it
  /// once its miner is calibrated and connected, so job 1 is as long as the
  /// others). Any thread.
  void restart_job_clock();
  /// The bound port (0 before start()).
  uint16_t port() const;

  // ---- observers (any thread) ----

  std::vector<ShareRecord> shares() const;           ///< oldest first, at most max_records
  ShareCounts counts() const;                        ///< totals since start, never trimmed
  std::vector<ReceivedMessage> received() const;     ///< oldest first, at most max_records
  size_t connections() const;                        ///< open now
  uint64_t connections_total() const;                ///< accepted since start
  std::optional<protocol::Job> current_job() const;  ///< the job new connections get
  /// The difficulty new connections get (after set_difficulty, that one).
  double difficulty() const;

  /// Block until at least `count` shares were recorded, or `timeout`. True if reached.
  bool wait_for_shares(size_t count, std::chrono::milliseconds timeout) const;
  /// Block until exactly `count` connections are open, or `timeout`.
  bool wait_for_connections(size_t count, std::chrono::milliseconds timeout) const;
  /// Block until at least `count` messages with `method` were received, or `timeout`.
  bool wait_for_method(std::string_view method, size_t count,
                       std::chrono::milliseconds timeout) const;

  // ---- fault settings (any thread; apply to the next message) ----

  /// Hold every response (not notifications) back by `delay`; 0 sends at once.
  void set_response_delay(std::chrono::milliseconds delay);
  /// Requests for these methods are still handled but never answered; "*"
  /// means every method; an empty list answers everything again.
  void set_unanswered(std::vector<std::string> methods);
  /// Reject `ratio` (0..1) of otherwise valid shares, deterministically (0.5:
  /// every second one), with `reason` (kLowDifficulty or kJobNotFound); the
  /// records say injected.
  void set_reject_ratio(double ratio, Reject reason = Reject::kLowDifficulty);

  // ---- fault actions (any thread; posted to the io thread, run in call order) ----

  /// Close every connection now (no goodbye).
  void drop_connections();
  /// Send `line` plus a newline to every connection, as is.
  void send_line(std::string line);
  /// send_line of a line that is not JSON.
  void send_garbage();
  /// Send `bytes` bytes of 'x' with no newline to every connection.
  void send_oversized_line(size_t bytes = 100 * 1024);
  /// client.reconnect [host, port, wait_seconds] to every connection.
  void send_reconnect(std::string host, uint16_t port, uint32_t wait_seconds);
  /// Any notification (id null), e.g. client.show_message.
  void send_notification(std::string method, nlohmann::json params);
  /// A request (id from 1000 up), e.g. client.get_version or mining.ping; the
  /// miner's answer shows in received(). Returns the id.
  uint64_t send_request(std::string method, nlohmann::json params);
  /// mining.set_difficulty to every working connection now; it applies from
  /// that connection's next job (shares for older jobs keep their difficulty).
  /// New connections get it too.
  void set_difficulty(double difficulty);
  /// mining.set_extranonce to every subscribed connection (a fresh extranonce1
  /// of `extranonce1_size` bytes, and `extranonce2_size`), then a new job.
  void send_set_extranonce(size_t extranonce1_size, uint32_t extranonce2_size);
  /// A new job to every working connection: `clean` starts a new block (new
  /// previous hash, older jobs forgotten); otherwise the same block with a
  /// fresh coinbase, older jobs still valid.
  void send_new_job(bool clean);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace synthminer::demo_pool
