// Plain options for the pool client: one PoolOptions per configured pool and
// the ClientOptions around them. The daemon fills these from its config; the
// client validates them in Client::create and never reads files itself
// (except the optional CA bundle named by tls_ca_file, read by OpenSSL).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/log_throttle.h"

namespace synthminer::stratum {

using Millis = std::chrono::milliseconds;

/// One pool. Pools are listed in priority order: index 0 is the preferred one.
struct PoolOptions {
  std::string url;       ///< stratum+tcp://host:port, stratum+ssl:// or stratum+tls://;
                         ///< http:// or https:// for a node (solo mining)
  std::string name;      ///< for logs and metrics; "" means "host:port"
  std::string user;      ///< worker name, sent in authorize and in every submit (a node: RPC user)
  std::string password;  ///< never logged (a node: RPC password)

  /// A node only: the address the block reward is paid to (checked
  /// against the node's chain), and Bitcoin Core's .cookie file instead of
  /// user and password (re-read when the node restarts).
  std::string coinbase_address;
  std::string cookie_file;
  /// A node only: the template is fetched again this often for new
  /// transactions; a new block comes sooner, by long poll.
  Millis template_refresh{std::chrono::seconds(30)};

  bool version_rolling = false;                ///< send mining.configure (BIP 310)
  uint32_t version_mask = 0x1fffe000;          ///< the bits we ask to roll
  bool extranonce_subscribe = false;           ///< send mining.extranonce.subscribe
  std::optional<uint64_t> suggest_difficulty;  ///< send mining.suggest_difficulty
  /// Follow client.reconnect to another host. Off by default: a pool (or a
  /// spoofed message) must not be able to send the miner elsewhere.
  bool allow_reconnect_other_host = false;

  /// TLS only. Without a pin, trust the pool without any check (the log
  /// says "NOT verified (tls.insecure)"); with one, the pin still decides.
  bool tls_insecure = false;
  /// TLS only. SHA-256 of the leaf certificate (DER), 64 hex digits, colons
  /// allowed. A pin alone is enough: it replaces the chain and host-name
  /// checks (as XMRig's --tls-fingerprint does), so a self-signed pool needs
  /// no tls_insecure; a certificate that does not match is refused.
  std::string tls_fingerprint_sha256;
  /// TLS only. PEM file of trusted CAs instead of the system store (unused
  /// when a pin is given).
  std::string tls_ca_file;

  bool operator==(const PoolOptions&) const = default;
};

/// Reconnect delays: initial, doubled per failure up to max, with jitter.
struct BackoffOptions {
  Millis initial{1000};
  Millis max{60000};
  double multiplier = 2.0;
  double jitter = 0.5;  ///< 0..1: a delay is drawn from [base * (1 - jitter), base]
};

struct FailoverOptions {
  uint32_t failures_before_failover = 3;  ///< consecutive failures on one pool
  /// A higher-priority pool must answer probes for this long before we return to it.
  Millis failback_after{std::chrono::minutes(2)};
  Millis probe_interval{std::chrono::seconds(30)};  ///< how often higher pools are probed
  /// Stay at least this long on a pool we switched to before failing back.
  Millis min_dwell{std::chrono::seconds(60)};
};

struct ClientOptions {
  std::vector<PoolOptions> pools;  ///< at least one
  std::string user_agent;          ///< "" means "synthminer/<version>"

  Millis connect_timeout{10000};                ///< resolve + TCP connect + TLS handshake
  Millis request_timeout{30000};                ///< subscribe, authorize, submit replies
  Millis job_timeout{std::chrono::minutes(3)};  ///< no mining.notify for this long: reconnect
  /// Cap on client.reconnect's wait: a pool cannot park the miner longer.
  Millis max_reconnect_wait{std::chrono::minutes(1)};
  size_t max_line_bytes = 64 * 1024;  ///< a longer line from the pool closes the connection
  /// Bytes waiting to be written to a pool that has stopped reading; more
  /// ends the connection as a failure (reconnect, then failover).
  size_t max_write_queue_bytes = 1024 * 1024;
  size_t offline_queue_limit = 64;  ///< shares kept while disconnected
  /// Submits in a row the pool leaves unanswered (request_timeout) before
  /// the session ends as a failure: reconnect, then failover.
  uint32_t max_submit_timeouts = 3;
  /// Shares sent to a pool per second at most (a token bucket, one second
  /// of burst); the rest count as stale "submit rate limit". A pool
  /// difficulty near zero makes nearly every nonce a share. The first block
  /// on each previous-block hash is never held back.
  double max_submits_per_second = 100;

  BackoffOptions backoff;
  FailoverOptions failover;
  /// How often one kind of event (rejects, stales, disconnects, bad lines,
  /// per pool) is logged; the rest are counted in the next line logged.
  common::LogThrottleOptions log_throttle;
};

}  // namespace synthminer::stratum
