// The canonical text of a request, for its cache key: JSON numbers are
// numbers (RFC 8259 has no integer type), so 1, 1.0 and 1e0 are written
// alike, and object keys come sorted (nlohmann's objects are sorted maps),
// so reordered keys agree. Any two documents that mean the same request
// give the same text; two that differ in any value give different texts.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace jarvis {

/// Appends the canonical text of `value` to `out`. Numbers: an integral
/// value in the 64-bit range as an integer ("1", "-3",
/// "18446744073709551615"), -0 as "-0", any other the shortest text that
/// reads back as the same double. Strings, booleans and null as dump().
void append_canonical_json(std::string& out, const nlohmann::json& value);

inline std::string canonical_json(const nlohmann::json& value) {
  std::string out;
  append_canonical_json(out, value);
  return out;
}

}  // namespace jarvis
