#include "node/block_template.h"

#include <algorithm>
#include <limits>

#include "common/printable.h"
#include "protocol/hex.h"
#include "protocol/work.h"

namespace synthminer::node {
namespace {

using json = nlohmann::json;

constexpr int64_t kMaxMoney = 21'000'000LL * 100'000'000LL;  // satoshis
constexpr size_t kMaxTransactionBytes = 4'000'000;           // a block's weight limit bounds it
constexpr size_t kMaxShortString = 256;                      // longpollid, rule names
constexpr size_t kMaxListEntries = 256;                      // rules, vbavailable, mutable

Error fail(const std::string& path, const std::string& why) {
  return Error{"getblocktemplate: " + path + ": " + why};
}

// Each reader takes the parent object and the field's name, and the path
// that names the field in errors.
const json* find(const json& obj, const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Result<int64_t> integer(const json& obj, const char* key, const std::string& path, int64_t min,
                        int64_t max) {
  const json* v = find(obj, key);
  if (!v) return fail(path, "missing");
  if (!v->is_number_integer()) return fail(path, "not an integer");
  // A huge unsigned value would wrap in get<int64_t>.
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(max)) {
    return fail(path, "above " + std::to_string(max));
  }
  const auto n = v->get<int64_t>();
  if (n < min || n > max) {
    return fail(path, "outside " + std::to_string(min) + ".." + std::to_string(max));
  }
  return n;
}

Result<uint32_t> u32(const json& obj, const char* key, const std::string& path) {
  auto n = integer(obj, key, path, 0, std::numeric_limits<uint32_t>::max());
  if (!n) return Error{n.error()};
  return static_cast<uint32_t>(*n);
}

Result<std::string> short_string(const json& v, const std::string& path) {
  if (!v.is_string()) return fail(path, "not a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > kMaxShortString) {
    return fail(path, "longer than " + std::to_string(kMaxShortString) + " characters");
  }
  return s;
}

Result<std::vector<uint8_t>> hex_bytes(const json& obj, const char* key, const std::string& path,
                                       size_t max_bytes) {
  const json* v = find(obj, key);
  if (!v) return fail(path, "missing");
  if (!v->is_string()) return fail(path, "not a string");
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > 2 * max_bytes)
    return fail(path, "longer than " + std::to_string(max_bytes) + " bytes");
  auto bytes = protocol::from_hex(s);
  if (!bytes) return fail(path, "not hex");
  return std::move(*bytes);
}

// A 32-byte hash as RPC prints it (display order), returned in internal order.
Result<protocol::Hash256> hash_field(const json& obj, const char* key, const std::string& path) {
  auto bytes = hex_bytes(obj, key, path, 32);
  if (!bytes) return Error{bytes.error()};
  if (bytes->size() != 32) return fail(path, "not 32 bytes");
  protocol::Hash256 h;
  std::reverse_copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

Result<std::vector<std::string>> string_list(const json& v, const std::string& path) {
  if (!v.is_array()) return fail(path, "not an array");
  if (v.size() > kMaxListEntries)
    return fail(path, "more than " + std::to_string(kMaxListEntries) + " entries");
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    auto s = short_string(v[i], path + "/" + std::to_string(i));
    if (!s) return Error{s.error()};
    out.push_back(std::move(s).value());
  }
  return out;
}

Result<TemplateTransaction> parse_transaction(const json& tx, const std::string& path) {
  if (!tx.is_object()) return fail(path, "not an object");
  TemplateTransaction out;
  auto data = hex_bytes(tx, "data", path + "/data", kMaxTransactionBytes);
  if (!data) return Error{data.error()};
  if (data->empty()) return fail(path + "/data", "empty");
  out.data = std::move(data).value();
  auto txid = hash_field(tx, "txid", path + "/txid");
  if (!txid) return Error{txid.error()};
  out.txid = *txid;
  auto wtxid = hash_field(tx, "hash", path + "/hash");
  if (!wtxid) return Error{wtxid.error()};
  out.wtxid = *wtxid;
  auto fee = integer(tx, "fee", path + "/fee", 0, kMaxMoney);
  if (!fee) return Error{fee.error()};
  out.fee = *fee;
  auto weight = integer(tx, "weight", path + "/weight", 1, 4'000'000);
  if (!weight) return Error{weight.error()};
  out.weight = *weight;
  return out;
}

// The target and bits must agree: a header is checked against bits, so a
// target that says otherwise is a template we cannot trust.
Result<hashcore::Target> parse_target(const json& t, uint32_t bits) {
  auto bytes = hex_bytes(t, "target", "/target", 32);
  if (!bytes) return Error{bytes.error()};
  if (bytes->size() != 32) return fail("/target", "not 32 bytes");
  hashcore::Target target;
  for (size_t i = 0; i < 32; ++i) {  // big-endian bytes to little-endian limbs
    target.limbs[(31 - i) / 4] |= static_cast<uint32_t>((*bytes)[i]) << (8 * ((31 - i) % 4));
  }
  if (target == hashcore::Target{}) return fail("/target", "zero");
  const auto from_bits = protocol::nbits_to_target(bits);
  if (!from_bits || *from_bits == hashcore::Target{})
    return fail("/bits", "not a valid positive target");
  if (!(*from_bits == target)) return fail("/target", "does not match /bits");
  return target;
}

Result<bool> parse_optional(const json& t, BlockTemplate& out) {
  if (const json* v = find(t, "longpollid")) {
    auto s = short_string(*v, "/longpollid");
    if (!s) return Error{s.error()};
    out.longpollid = std::move(s).value();
  }
  if (find(t, "default_witness_commitment")) {
    auto script = hex_bytes(t, "default_witness_commitment", "/default_witness_commitment", 64);
    if (!script) return Error{script.error()};
    out.default_witness_commitment = std::move(script).value();
  }
  if (const json* v = find(t, "vbavailable")) {
    if (!v->is_object()) return fail("/vbavailable", "not an object");
    if (v->size() > kMaxListEntries) return fail("/vbavailable", "too many entries");
    for (const auto& [name, bit] : v->items()) {
      if (name.size() > kMaxShortString) return fail("/vbavailable", "a name is too long");
      const std::string path = "/vbavailable/" + common::printable(name, 64);
      if (!bit.is_number_unsigned() || bit.get<uint64_t>() > 28) {
        return fail(path, "not a version bit (0..28)");
      }
      out.vbavailable[name] = bit.get<uint32_t>();
    }
  }
  if (const json* v = find(t, "mutable")) {
    auto list = string_list(*v, "/mutable");
    if (!list) return Error{list.error()};
    out.mutable_fields = std::move(list).value();
  }
  return true;
}

}  // namespace

bool BlockTemplate::has_witness_transactions() const {
  return std::any_of(transactions.begin(), transactions.end(),
                     [](const TemplateTransaction& tx) { return tx.txid != tx.wtxid; });
}

Result<BlockTemplate> parse_block_template(const json& t) {
  if (!t.is_object()) return fail("/", "not an object");
  BlockTemplate out;
  auto version = u32(t, "version", "/version");
  if (!version) return Error{version.error()};
  out.version = *version;
  auto prev = hash_field(t, "previousblockhash", "/previousblockhash");
  if (!prev) return Error{prev.error()};
  out.previous_block_hash = *prev;

  const json* txs = find(t, "transactions");
  if (!txs) return fail("/transactions", "missing");
  if (!txs->is_array()) return fail("/transactions", "not an array");
  if (txs->size() > kMaxTemplateTransactions) return fail("/transactions", "too many");
  out.transactions.reserve(txs->size());
  for (size_t i = 0; i < txs->size(); ++i) {
    auto tx = parse_transaction((*txs)[i], "/transactions/" + std::to_string(i));
    if (!tx) return Error{tx.error()};
    out.transactions.push_back(std::move(tx).value());
  }

  auto value = integer(t, "coinbasevalue", "/coinbasevalue", 0, kMaxMoney);
  if (!value) return Error{value.error()};
  if (*value == 0) return fail("/coinbasevalue", "zero");
  out.coinbase_value = *value;

  const json* bits = find(t, "bits");
  if (!bits) return fail("/bits", "missing");
  if (!bits->is_string()) return fail("/bits", "not a string");
  const auto parsed_bits = protocol::parse_hex_u32(bits->get_ref<const std::string&>());
  if (!parsed_bits) return fail("/bits", "not 8 hex digits");
  out.bits = *parsed_bits;
  auto target = parse_target(t, out.bits);
  if (!target) return Error{target.error()};
  out.target = *target;

  auto curtime = u32(t, "curtime", "/curtime");
  if (!curtime) return Error{curtime.error()};
  out.curtime = *curtime;
  auto mintime = u32(t, "mintime", "/mintime");
  if (!mintime) return Error{mintime.error()};
  out.mintime = *mintime;
  if (out.mintime > out.curtime) return fail("/mintime", "after /curtime");
  // Heights fit a 4-byte script number (BIP 34) below 2^31.
  auto height = integer(t, "height", "/height", 1, std::numeric_limits<int32_t>::max());
  if (!height) return Error{height.error()};
  out.height = static_cast<uint32_t>(*height);

  const json* rules = find(t, "rules");
  if (!rules) return fail("/rules", "missing");
  auto rule_list = string_list(*rules, "/rules");
  if (!rule_list) return Error{rule_list.error()};
  out.rules = std::move(rule_list).value();

  auto optional = parse_optional(t, out);
  if (!optional) return Error{optional.error()};
  return out;
}

}  // namespace synthminer::node
