#include "stratum/pool_url.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace synthminer::stratum {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_host_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '.' || c == '_';
}

Result<uint16_t> parse_port(std::string_view text) {
  if (text.empty()) return Error{"missing port"};
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return Error{"bad port: must be a number 1..65535"};
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::string PoolUrl::host_port() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<PoolUrl> parse_pool_url(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return Error{"missing scheme (stratum+tcp://host:port)"};
  const std::string scheme = lower(url.substr(0, sep));
  PoolUrl out;
  if (scheme == "stratum+tcp") {
    out.tls = false;
  } else if (scheme == "stratum+ssl" || scheme == "stratum+tls") {
    out.tls = true;
  } else if (scheme == "http" || scheme == "https") {
    out.node = true;
    out.tls = scheme == "https";
  } else {
    return Error{
        "unsupported scheme (stratum+tcp, stratum+ssl, stratum+tls; http, https for a node)"};
  }
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // Errors name the position, never the text: the URL may hold a password.
  if (const size_t at = rest.find('@'); at != std::string_view::npos) {
    return Error{"user info (user:password@) at character " + std::to_string(sep + 4 + at) +
                 " is not accepted: give the worker name and password as the pool's user and "
                 "password"};
  }
  if (const size_t extra = rest.find_first_of("/?#"); extra != std::string_view::npos) {
    return Error{"unexpected path or query at character " + std::to_string(sep + 4 + extra) +
                 " (only scheme://host:port)"};
  }

  std::string_view host, port;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return Error{"unterminated IPv6 address"};
    host = rest.substr(1, close - 1);
    if (close + 1 >= rest.size() || rest[close + 1] != ':') return Error{"missing port"};
    port = rest.substr(close + 2);
    const bool hex_colon = std::all_of(host.begin(), host.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
    if (host.empty() || !hex_colon) return Error{"bad IPv6 address"};
  } else {
    const size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) return Error{"missing port"};
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (host.empty()) return Error{"missing host"};
    if (const auto bad = std::find_if_not(host.begin(), host.end(), valid_host_char);
        bad != host.end()) {
      return Error{"bad host: character " + std::to_string(sep + 4 + (bad - host.begin())) +
                   " is not a letter, digit, '-', '.' or '_'"};
    }
  }
  auto parsed_port = parse_port(port);
  if (!parsed_port) return Error{parsed_port.error()};
  out.host = std::string(host);
  out.port = *parsed_port;
  return out;
}

}  // namespace synthminer::stratum
