// Newline framing for a byte stream, with a limit on the line length, so a
// pool (or anything pretending to be one) cannot make us buffer without end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace synthminer::stratum {

class LineFramer {
 public:
  /// `max_line_bytes`: the longest line accepted, without its "\n" (or "\r\n").
  explicit LineFramer(size_t max_line_bytes) : max_line_(max_line_bytes) {}

  /// Appends received bytes and moves every completed line, without its line
  /// ending, to `lines` (empty lines are skipped). Returns false, and stops,
  /// once a line is longer than the limit, complete or not; the framer is then
  /// unusable and the connection should be closed.
  bool feed(std::string_view data, std::vector<std::string>& lines);

  /// Bytes of the incomplete line held so far.
  size_t buffered() const { return partial_.size(); }
  size_t max_line_bytes() const { return max_line_; }

 private:
  size_t max_line_;
  std::string partial_;
  bool failed_ = false;
};

}  // namespace synthminer::stratum
