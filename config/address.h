// Checks for the addresses a config names: listen addresses ("host:port",
// "[v6]:port") and pool URLs ("stratum+tcp://host:port"). Errors carry only a
// reason; the caller adds the JSON path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/result.h"

namespace synthminer::config {

struct HostPort {
  std::string host;  ///< without the brackets of an IPv6 literal
  uint16_t port = 0;
};

/// "host:port" or "[ipv6]:port", port 1..65535 (0 too when `allow_port_zero`:
/// a listener then takes a free port and logs it).
Result<HostPort> parse_host_port(std::string_view text, bool allow_port_zero = false);

/// True for "localhost", 127.0.0.0/8 and ::1.
bool is_loopback(std::string_view host);

struct PoolAddress {
  bool tls = false;   ///< stratum+ssl://, stratum+tls:// or https://
  bool node = false;  ///< http:// or https://: a node's JSON-RPC, for solo mining
  HostPort address;
};

/// stratum+tcp://host:port, stratum+ssl://host:port or stratum+tls://host:port;
/// http://host:port or https://host:port for a node.
Result<PoolAddress> parse_pool_url(std::string_view url);

/// True when `text` is exactly `digits` hex digits.
bool is_hex(std::string_view text, size_t digits);

}  // namespace synthminer::config
