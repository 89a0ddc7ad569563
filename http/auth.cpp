#include "http/auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <utility>

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace synthminer::http {
namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> sha256(std::string_view text) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Response unauthorized(std::string reason, const char* challenge) {
  Response r = Response::error(Status::unauthorized, std::move(reason));
  r.headers.emplace_back("WWW-Authenticate", challenge);
  return r;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return false;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .is_loopback();
  }
  return address.is_loopback();
}

std::optional<Error> check_listen_security(std::string_view host, uint16_t port,
                                           const std::optional<std::string>& token) {
  if (is_loopback_host(host) || (token && !token->empty())) return std::nullopt;
  return Error{"refusing to serve the API on " + std::string(host) + ":" + std::to_string(port) +
               " without a token: a listener beyond loopback needs api.token set (or use "
               "api.listen 127.0.0.1:PORT)"};
}

bool needs_token(Verb method, bool loopback_listener, bool route_requires_auth,
                 bool open_loopback) {
  if (open_loopback && loopback_listener) return false;
  const bool read_only = method == Verb::get || method == Verb::head;
  return route_requires_auth || !read_only || !loopback_listener;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  const auto da = sha256(a);
  const auto db = sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  std::string_view v = trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != kScheme[i]) return std::nullopt;
  }
  if (v[kScheme.size()] != ' ' && v[kScheme.size()] != '\t') return std::nullopt;
  const std::string_view token = trim(v.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

std::optional<Response> check_bearer(std::optional<std::string_view> authorization,
                                     const std::optional<std::string>& token) {
  if (!token || token->empty()) {
    return Response::error(Status::forbidden,
                           "this request needs an API token and none is configured: set "
                           "api.token in the config file and reload");
  }
  if (!authorization) {
    return unauthorized("missing 'Authorization: Bearer <token>' header", "Bearer");
  }
  const auto presented = bearer_token(*authorization);
  if (!presented) {
    return unauthorized("the Authorization header must be 'Bearer <token>'", "Bearer");
  }
  if (!constant_time_equal(*presented, *token)) {
    return unauthorized("invalid token", "Bearer error=\"invalid_token\"");
  }
  return std::nullopt;
}

}  // namespace synthminer::http
