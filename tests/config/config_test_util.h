// Small builders of config documents for the config tests.
#pragma once

#include <string>

namespace synthminer::config::test {

inline constexpr const char* kPool =
    R"({"url": "stratum+tcp://pool.example.com:3333", "user": "worker"})";

/// A document with one minimal pool and `extra` top-level members ("" for none).
inline std::string doc(const std::string& extra = "") {
  return std::string(R"({"pools": [)") + kPool + "]" + (extra.empty() ? "" : ", " + extra) + "}";
}

/// A document whose only pool has `members` (without braces) as its members.
inline std::string doc_with_pool(const std::string& members) {
  return R"({"pools": [{)" + members + "}]}";
}

}  // namespace synthminer::config::test
