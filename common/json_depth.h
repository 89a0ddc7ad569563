// How deeply JSON text nests, counted without parsing. nlohmann parses
// iteratively but copies and dumps recursively, so input nested tens of
// thousands deep overflows the stack later on; every parser of outside
// input (pool lines, API bodies, config files) refuses it first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace synthminer::common {

/// Far more than any message the daemon accepts needs.
inline constexpr size_t kMaxJsonDepth = 64;

/// True when no array or object in `text` opens deeper than `max_depth`
/// levels (brackets inside strings do not count). Linear, stops early.
inline bool json_depth_within(std::string_view text, size_t max_depth = kMaxJsonDepth) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

/// The error every refusal uses.
inline std::string json_too_deep_error(size_t max_depth = kMaxJsonDepth) {
  return "JSON nested deeper than " + std::to_string(max_depth) + " levels";
}

}  // namespace synthminer::common
