#include "protocol/messages.h"

#include <algorithm>
#include <cmath>

#include "common/json_depth.h"
#include "protocol/hex.h"

namespace synthminer::protocol {
namespace {

Error fail(std::string what) {
  return Error{std::move(what)};
}

/// A hex string field of `min`..`max` bytes.
Result<std::vector<uint8_t>> hex_field(const json& v, const char* name, size_t min, size_t max) {
  if (!v.is_string()) return fail(std::string(name) + " must be a hex string");
  auto bytes = from_hex(v.get_ref<const std::string&>());
  if (!bytes) return fail(std::string(name) + " is not valid hex");
  if (bytes->size() < min || bytes->size() > max) {
    return fail(std::string(name) + " must be " + std::to_string(min) + ".." + std::to_string(max) +
                " bytes, got " + std::to_string(bytes->size()));
  }
  return std::move(*bytes);
}

Result<uint32_t> u32_field(const json& v, const char* name) {
  if (!v.is_string()) return fail(std::string(name) + " must be an 8-digit hex string");
  auto n = parse_hex_u32(v.get_ref<const std::string&>());
  if (!n) return fail(std::string(name) + " must be 8 hex digits");
  return *n;
}

Result<uint32_t> extranonce2_size_field(const json& v) {
  if (!v.is_number_integer()) return fail("extranonce2_size must be an integer");
  const auto n = v.get<int64_t>();
  // 0 is legal: the pool leaves no extranonce2 space, so each job is its
  // version rolls times 2^32 nonces (the scheduler handles that).
  if (n < 0 || n > 16) return fail("extranonce2_size must be 0..16, got " + std::to_string(n));
  return static_cast<uint32_t>(n);
}

// Pools send ids as numbers, strings or null; keep what they sent.
bool valid_id(const json& id) {
  return id.is_null() || id.is_number() || id.is_string();
}

}  // namespace

Result<Incoming> parse_line(std::string_view line) {
  if (!common::json_depth_within(line)) return fail(common::json_too_deep_error());
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return fail("not valid JSON");
  if (!j.is_object()) return fail("not a JSON object");
  Incoming in;
  const auto id = j.find("id");
  if (id != j.end()) {
    if (!valid_id(*id)) return fail("id must be a number, a string or null");
    in.id = *id;
  }
  const auto method = j.find("method");
  if (method != j.end() && !method->is_null()) {
    if (!method->is_string()) return fail("method must be a string");
    in.method = method->get<std::string>();
    const auto params = j.find("params");
    in.params = params == j.end() || params->is_null() ? json::array() : *params;
    if (!in.params.is_array()) return fail("params of " + in.method + " must be an array");
    in.kind = in.id.is_null() ? Incoming::Kind::kNotification : Incoming::Kind::kRequest;
    return in;
  }
  if (id == j.end() || id->is_null()) return fail("neither a method nor a response id");
  in.kind = Incoming::Kind::kResponse;
  if (const auto r = j.find("result"); r != j.end()) in.result = *r;
  in.error = error_reason(j);
  return in;
}

std::string error_reason(const json& response) {
  std::string reason;
  if (const auto e = response.find("error"); e != response.end() && !e->is_null()) {
    if (e->is_array() && !e->empty()) {
      const json& code = (*e)[0];
      const std::string msg =
          e->size() > 1 && (*e)[1].is_string() ? (*e)[1].get<std::string>() : "";
      reason = msg.empty() ? "error " + code.dump() : msg;
      if (code.is_number_integer()) reason += " (" + code.dump() + ")";
    } else if (e->is_object()) {
      const auto m = e->find("message");
      reason = m != e->end() && m->is_string() ? m->get<std::string>() : e->dump();
      if (const auto c = e->find("code"); c != e->end() && c->is_number_integer()) {
        reason += " (" + c->dump() + ")";
      }
    } else if (e->is_string()) {
      reason = e->get<std::string>();
    } else {
      reason = e->dump();
    }
  }
  if (const auto rr = response.find("reject-reason"); rr != response.end() && rr->is_string()) {
    if (reason.empty()) reason = rr->get<std::string>();
  }
  if (reason.empty()) {
    const auto r = response.find("result");
    if (r != response.end() && r->is_boolean() && !r->get<bool>())
      reason = "rejected (no reason given)";
  }
  return reason;
}

Result<SubscribeResult> parse_subscribe_result(const json& result) {
  if (!result.is_array() || result.size() < 3) {
    return fail("subscribe result must be [subscriptions, extranonce1, extranonce2_size]");
  }
  SubscribeResult out;
  // Subscriptions: nested [[name, id], ...] or flat [name, id]; we keep the
  // notify subscription id to resume the session later.
  const json& subs = result[0];
  auto take = [&](const json& pair) {
    if (pair.is_array() && pair.size() >= 2 && pair[0] == "mining.notify" && pair[1].is_string()) {
      out.session_id = pair[1].get<std::string>();
    }
  };
  if (subs.is_array() && !subs.empty() && subs[0].is_array()) {
    for (const json& pair : subs) take(pair);
  } else {
    take(subs);
  }
  auto en1 = hex_field(result[1], "extranonce1", 0, 32);
  if (!en1) return fail(en1.error());
  auto en2 = extranonce2_size_field(result[2]);
  if (!en2) return fail(en2.error());
  out.extranonce = {std::move(en1).value(), *en2};
  return out;
}

Result<Job> parse_notify(const json& params) {
  if (!params.is_array() || params.size() < 9) return fail("mining.notify needs 9 parameters");
  Job job;
  if (!params[0].is_string() || params[0].get_ref<const std::string&>().empty() ||
      params[0].get_ref<const std::string&>().size() > 128) {
    return fail("job_id must be a non-empty string of at most 128 characters");
  }
  job.job_id = params[0].get<std::string>();
  auto prev = hex_field(params[1], "prevhash", 32, 32);
  if (!prev) return fail(prev.error());
  std::copy(prev->begin(), prev->end(), job.prevhash.begin());
  auto cb1 = hex_field(params[2], "coinb1", 0, 100000);
  if (!cb1) return fail(cb1.error());
  auto cb2 = hex_field(params[3], "coinb2", 0, 100000);
  if (!cb2) return fail(cb2.error());
  job.coinb1 = std::move(cb1).value();
  job.coinb2 = std::move(cb2).value();
  if (!params[4].is_array() || params[4].size() > 64) {
    return fail("merkle_branch must be an array of at most 64 hashes");
  }
  for (const json& b : params[4]) {
    auto h = hex_field(b, "merkle branch entry", 32, 32);
    if (!h) return fail(h.error());
    Hash256 hash;
    std::copy(h->begin(), h->end(), hash.begin());
    job.merkle_branch.push_back(hash);
  }
  auto version = u32_field(params[5], "version");
  if (!version) return fail(version.error());
  auto nbits = u32_field(params[6], "nbits");
  if (!nbits) return fail(nbits.error());
  auto ntime = u32_field(params[7], "ntime");
  if (!ntime) return fail(ntime.error());
  if (!params[8].is_boolean()) return fail("clean_jobs must be true or false");
  job.version = *version;
  job.nbits = *nbits;
  job.ntime = *ntime;
  job.clean_jobs = params[8].get<bool>();
  return job;
}

Result<double> parse_set_difficulty(const json& params) {
  if (!params.is_array() || params.empty() || !params[0].is_number()) {
    return fail("mining.set_difficulty needs a number");
  }
  const double d = params[0].get<double>();
  if (!std::isfinite(d) || d <= 0) return fail("difficulty must be a number > 0");
  return d;
}

Result<Extranonce> parse_set_extranonce(const json& params) {
  if (!params.is_array() || params.size() < 2) {
    return fail("mining.set_extranonce needs [extranonce1, extranonce2_size]");
  }
  auto en1 = hex_field(params[0], "extranonce1", 0, 32);
  if (!en1) return fail(en1.error());
  auto en2 = extranonce2_size_field(params[1]);
  if (!en2) return fail(en2.error());
  return Extranonce{std::move(en1).value(), *en2};
}

Result<uint32_t> parse_set_version_mask(const json& params) {
  if (!params.is_array() || params.empty()) return fail("mining.set_version_mask needs a mask");
  return u32_field(params[0], "version mask");
}

Result<ConfigureResult> parse_configure_result(const json& result) {
  if (!result.is_object()) return fail("configure result must be an object");
  ConfigureResult out;
  const auto granted = result.find("version-rolling");
  if (granted == result.end() || !granted->is_boolean() || !granted->get<bool>()) return out;
  const auto mask = result.find("version-rolling.mask");
  if (mask == result.end()) return fail("version-rolling granted without a mask");
  auto m = u32_field(*mask, "version-rolling.mask");
  if (!m) return fail(m.error());
  out.version_rolling = true;
  out.mask = *m;
  return out;
}

Result<ReconnectRequest> parse_reconnect(const json& params) {
  ReconnectRequest r;
  if (!params.is_array()) return fail("client.reconnect params must be an array");
  if (params.size() >= 1 && !params[0].is_null()) {
    if (!params[0].is_string() || params[0].get_ref<const std::string&>().size() > 253) {
      return fail("reconnect host must be a host name");
    }
    r.host = params[0].get<std::string>();
  }
  // An empty port ("" or 0-length) means the same port, as ckpool sends it.
  const bool no_port = params.size() < 2 || params[1].is_null() ||
                       (params[1].is_string() && params[1].get_ref<const std::string&>().empty());
  if (!no_port) {
    int64_t port = -1;
    if (params[1].is_number_integer()) {
      port = params[1].get<int64_t>();
    } else if (params[1].is_string()) {
      const auto& s = params[1].get_ref<const std::string&>();
      if (!s.empty() && s.size() <= 5 && s.find_first_not_of("0123456789") == std::string::npos) {
        port = std::stoll(s);
      }
    }
    if (port < 1 || port > 65535) return fail("reconnect port must be 1..65535");
    r.port = static_cast<uint16_t>(port);
  }
  if (params.size() >= 3 && !params[2].is_null()) {
    if (!params[2].is_number_integer() || params[2].get<int64_t>() < 0) {
      return fail("reconnect wait must be a whole number of seconds >= 0");
    }
    // A pool cannot park a miner for longer than an hour.
    r.wait_seconds = static_cast<uint32_t>(std::min<int64_t>(params[2].get<int64_t>(), 3600));
  }
  return r;
}

std::string make_request(uint64_t id, std::string_view method, const json& params) {
  json j = {{"id", id}, {"method", method}, {"params", params}};
  return j.dump() + "\n";
}

std::string make_response(const json& id, const json& result) {
  json j = {{"id", id}, {"result", result}, {"error", nullptr}};
  return j.dump() + "\n";
}

json subscribe_params(std::string_view user_agent, const std::optional<std::string>& session_id) {
  json p = json::array({user_agent});
  if (session_id) p.push_back(*session_id);
  return p;
}

json authorize_params(std::string_view user, std::string_view password) {
  return json::array({user, password});
}

json configure_params(uint32_t mask) {
  return json::array(
      {json::array({"version-rolling"}),
       {{"version-rolling.mask", hex_u32(mask)}, {"version-rolling.min-bit-count", 2}}});
}

json suggest_difficulty_params(double difficulty) {
  const double whole = std::max(1.0, std::round(difficulty));
  return json::array({static_cast<uint64_t>(std::min(whole, 1e18))});
}

json submit_params(std::string_view worker, const Share& share) {
  json p = json::array({worker, share.job_id, to_hex(share.extranonce2), hex_u32(share.ntime),
                        hex_u32(share.nonce)});
  if (share.version_bits) p.push_back(hex_u32(*share.version_bits));
  return p;
}

}  // namespace synthminer::protocol
