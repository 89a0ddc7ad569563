// Pool addresses as users write them: stratum+tcp://host:port,
// stratum+ssl://host:port or stratum+tls://host:port (IPv6 as [addr]:port);
// a node for solo mining as http://host:port or https://host:port.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stratum/result.h"

namespace synthminer::stratum {

struct PoolUrl {
  std::string host;  ///< name or address, without IPv6 brackets
  uint16_t port = 0;
  bool tls = false;
  bool node = false;  ///< http:// or https://: a node's JSON-RPC (getblocktemplate)

  /// "host:port" ("[::1]:port" for IPv6): the pool's default display name.
  std::string host_port() const;
};

/// Parses a pool URL. The scheme is case-insensitive; the port is required
/// (1..65535); a trailing "/" is accepted; user info, paths and queries are not.
Result<PoolUrl> parse_pool_url(std::string_view url);

}  // namespace synthminer::stratum
