#include "config/address.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace synthminer::config {
namespace {

bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool ipv6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

Result<uint16_t> parse_port(std::string_view text, bool allow_zero) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || (value == 0 && !allow_zero) ||
      value > 65535) {
    return Error{"", allow_zero ? "port must be 0..65535" : "port must be 1..65535"};
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

Result<HostPort> parse_host_port(std::string_view text, bool allow_port_zero) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Error{"", "must be host:port or [ipv6]:port"};
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (host.empty() || !std::all_of(host.begin(), host.end(), ipv6_char)) {
      return Error{"", "bad IPv6 address"};
    }
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return Error{"", "must be host:port or [ipv6]:port"};
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    // Never echo the host: in a pool URL it may hold "user:password@".
    if (host.empty() || !std::all_of(host.begin(), host.end(), host_char)) {
      return Error{"", "bad host: only letters, digits, '-', '.' and '_' are allowed"};
    }
  }
  const auto parsed = parse_port(port, allow_port_zero);
  if (!parsed) return parsed.error();
  return HostPort{std::string(host), *parsed};
}

bool is_loopback(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  // 127.0.0.0/8: four decimal octets, the first 127.
  std::array<unsigned, 4> octets{};
  const char* p = host.data();
  const char* end = host.data() + host.size();
  for (size_t i = 0; i < octets.size(); ++i) {
    const auto [next, ec] = std::from_chars(p, end, octets[i]);
    if (ec != std::errc() || next == p || octets[i] > 255) return false;
    p = next;
    if (i < 3) {
      if (p == end || *p != '.') return false;
      ++p;
    }
  }
  return p == end && octets[0] == 127;
}

Result<PoolAddress> parse_pool_url(std::string_view url) {
  struct Scheme {
    std::string_view prefix;
    bool tls;
    bool node;
  };
  constexpr std::array<Scheme, 5> kSchemes{{{"stratum+tcp://", false, false},
                                            {"stratum+ssl://", true, false},
                                            {"stratum+tls://", true, false},
                                            {"http://", false, true},
                                            {"https://", true, true}}};
  for (const auto& [scheme, tls, node] : kSchemes) {
    if (!url.starts_with(scheme)) continue;
    if (url.find('@') != std::string_view::npos) {
      return Error{"",
                   "user info (user:password@) is not accepted in the URL: set the pool's "
                   "\"user\" and \"password\""};
    }
    std::string_view rest = url.substr(scheme.size());
    if (node && rest.ends_with('/')) rest.remove_suffix(1);  // as people copy node URLs
    auto address = parse_host_port(rest);
    if (!address) return Error{"", address.error().reason + " after " + std::string(scheme)};
    return PoolAddress{tls, node, std::move(address).value()};
  }
  return Error{"",
               "must start with stratum+tcp://, stratum+ssl:// or stratum+tls:// (a pool), or "
               "http:// or https:// (a node, for solo mining)"};
}

bool is_hex(std::string_view text, size_t digits) {
  return text.size() == digits && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

}  // namespace synthminer::config
