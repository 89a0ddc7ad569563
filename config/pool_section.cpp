#include <algorithm>
#include <limits>

#include "config/address.h"
#include "config/sections.h"

namespace synthminer::config {
namespace {

void read_tls(ObjectReader& in, TlsConfig& out) {
  in.read_bool("insecure", out.insecure);
  in.read_string("fingerprint_sha256", out.fingerprint_sha256);
  if (out.fingerprint_sha256) {
    std::string digits = *out.fingerprint_sha256;
    digits.erase(std::remove(digits.begin(), digits.end(), ':'), digits.end());
    if (!is_hex(digits, 64)) {
      fail(in.path_of("fingerprint_sha256"), "must be 64 hex digits (colons allowed)");
    }
  }
  in.read_string("ca_file", out.ca_file);
  if (out.ca_file && out.ca_file->empty()) fail(in.path_of("ca_file"), "must not be empty");
}

void read_version_mask(ObjectReader& in, uint32_t& out) {
  const nlohmann::json* v = in.find("version_mask");
  if (v == nullptr) return;
  if (!v->is_string() || !is_hex(v->get_ref<const std::string&>(), 8)) {
    fail(in.path_of("version_mask"), "must be 8 hex digits, e.g. \"1fffe000\"");
  }
  out = static_cast<uint32_t>(std::stoul(v->get<std::string>(), nullptr, 16));
}

void read_address(ObjectReader& in, PoolConfig& out) {
  const nlohmann::json& url = in.require("url");
  if (!url.is_string()) fail(in.path_of("url"), "must be a string");
  out.url = url.get<std::string>();
  const auto address = parse_pool_url(out.url);
  if (!address) fail(in.path_of("url"), address.error().reason);
  out.node = address->node;
  const bool tls_settings = out.tls != TlsConfig{};
  if (tls_settings && !address->tls) {
    fail(in.path_of("tls"), "only for stratum+ssl://, stratum+tls:// or https:// URLs");
  }
}

void read_pool_login(ObjectReader& in, PoolConfig& out) {
  const nlohmann::json& user = in.require("user");
  if (!user.is_string() || user.get_ref<const std::string&>().empty()) {
    fail(in.path_of("user"), "must be a non-empty string");
  }
  out.user = user.get<std::string>();
  in.read_string("password", out.password);
  in.read_bool("version_rolling", out.version_rolling);
  read_version_mask(in, out.version_mask);
  in.read_bool("extranonce_subscribe", out.extranonce_subscribe);
  if (in.find("suggest_difficulty") != nullptr) {
    uint64_t difficulty = 0;
    in.read_uint("suggest_difficulty", difficulty, 1, std::numeric_limits<uint64_t>::max());
    out.suggest_difficulty = difficulty;
  }
  in.read_bool("allow_reconnect_other_host", out.allow_reconnect_other_host);
  for (const char* key : {"coinbase_address", "cookie_file", "template_refresh_seconds"}) {
    if (in.find(key) != nullptr)
      fail(in.path_of(key), "only for a node (an http:// or https:// URL)");
  }
}

// A node: RPC user and password, or the cookie file; the payout address.
void read_node_login(ObjectReader& in, PoolConfig& out) {
  for (const char* key : {"version_rolling", "version_mask", "extranonce_subscribe",
                          "suggest_difficulty", "allow_reconnect_other_host"}) {
    if (in.find(key) != nullptr) fail(in.path_of(key), "is Stratum's: not for a node");
  }
  out.version_rolling = false;
  in.read_string("cookie_file", out.cookie_file);
  if (out.cookie_file && out.cookie_file->empty())
    fail(in.path_of("cookie_file"), "must not be empty");
  const bool has_user = in.find("user") != nullptr;
  if (out.cookie_file && (has_user || in.find("password") != nullptr)) {
    fail(in.path_of("cookie_file"), "give either cookie_file or user and password, not both");
  }
  if (!out.cookie_file) {
    if (!has_user || in.find("password") == nullptr) {
      fail(in.path_of("user"), "a node needs user and password (rpcauth), or cookie_file");
    }
    in.read_string("user", out.user);
    if (out.user.empty()) fail(in.path_of("user"), "must be a non-empty string");
    in.read_string("password", out.password);
  }
  const nlohmann::json& address = in.require("coinbase_address");
  if (!address.is_string() || address.get_ref<const std::string&>().empty()) {
    fail(in.path_of("coinbase_address"), "must be the address the block reward is paid to");
  }
  out.coinbase_address = address.get<std::string>();
  in.read_number("template_refresh_seconds", out.template_refresh_seconds, 1, 3600, false);
}

}  // namespace

PoolConfig read_pool(const nlohmann::json& value, const std::string& path) {
  ObjectReader in(value, path);
  PoolConfig out;
  read_section(in, "tls", [&](ObjectReader& tls) { read_tls(tls, out.tls); });
  read_address(in, out);
  if (out.node) {
    read_node_login(in, out);
  } else {
    read_pool_login(in, out);
  }
  in.read_string("name", out.name);
  if (out.name && out.name->empty()) fail(in.path_of("name"), "must not be empty");
  in.finish();
  return out;
}

}  // namespace synthminer::config
