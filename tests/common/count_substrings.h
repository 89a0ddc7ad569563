// How many times a needle occurs in a text (overlapping occurrences count),
// for tests that count log lines or printed lines.
#pragma once

#include <cstddef>
#include <string>

namespace synthminer::testing {

inline size_t count_substrings(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace synthminer::testing
