// ObjectReader: reads the keys of one JSON object into config fields, checking
// each value's type and range, and remembers which keys it was asked about so
// finish() can refuse the rest as unknown. Internal to the config module: it
// throws FieldError, which parse_config turns into an Error at the boundary.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace synthminer::config {

/// Thrown inside the module only; carries the JSON pointer and the reason.
struct FieldError {
  std::string path;
  std::string reason;
};

[[noreturn]] void fail(std::string path, std::string reason);

/// `parent` + "/" + `key`, with '~' and '/' escaped as JSON pointer requires.
std::string json_pointer(const std::string& parent, std::string_view key);

class ObjectReader {
 public:
  /// Fails with "must be an object" unless `value` is one.
  ObjectReader(const nlohmann::json& value, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return json_pointer(path_, key); }

  /// The value under `key`, or nullptr when absent; either way `key` is now known.
  const nlohmann::json* find(std::string_view key);
  /// Like find, but an absent key fails with "is required".
  const nlohmann::json& require(std::string_view key);

  void read_bool(std::string_view key, bool& out);
  void read_string(std::string_view key, std::string& out);
  void read_string(std::string_view key, std::optional<std::string>& out);
  /// An integer in [min, max]; anything else fails with "must be an integer min..max".
  void read_uint(std::string_view key, uint64_t& out, uint64_t min, uint64_t max);
  void read_uint(std::string_view key, uint32_t& out, uint32_t min, uint32_t max);
  /// A number in (min, max] when min_exclusive, else [min, max].
  void read_number(std::string_view key, double& out, double min, double max, bool min_exclusive);
  /// A list of distinct integers, each in [0, max].
  void read_index_list(std::string_view key, std::optional<std::vector<uint32_t>>& out,
                       uint32_t max);

  template <class E>
  void read_choice(std::string_view key, E& out,
                   std::initializer_list<std::pair<const char*, E>> choices) {
    const nlohmann::json* v = find(key);
    if (v == nullptr) return;
    if (v->is_string()) {
      for (const auto& [name, value] : choices) {
        if (v->get_ref<const std::string&>() == name) {
          out = value;
          return;
        }
      }
    }
    std::string list;
    for (const auto& choice : choices) {
      list += (list.empty() ? "\"" : ", \"") + std::string(choice.first) + "\"";
    }
    fail(path_of(key), "must be one of " + list);
  }

  /// Refuses every key not asked about, except comments: keys starting with
  /// '_' whose value is a string.
  void finish() const;

 private:
  const nlohmann::json& value_;
  std::string path_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace synthminer::config
