// Outside text (a pool's reject reason, job id, message or host; an API
// client's input) made safe to log. Under journald a newline followed by
// "<3>" would forge an entry of another priority, and on a terminal an ANSI
// escape would rewrite the screen: every byte outside printable ASCII is
// written as an escape, and the text is cut to a bounded length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace synthminer::common {

/// Bytes of outside text a log line keeps by default.
inline constexpr size_t kMaxLoggedBytes = 256;

/// `text` on one line of printable ASCII: '\n', '\r' and '\t' as C
/// escapes, every other byte below 0x20 or above 0x7E as "\xNN". At most
/// `limit` input bytes are kept; a cut text ends with "...". The result is
/// at most 4 * limit + 3 bytes long. Printable text passes unchanged, so
/// text made printable once (a session's end reason) can be again.
inline std::string printable(std::string_view text, size_t limit = kMaxLoggedBytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::string_view kept = text.substr(0, limit);
  out.reserve(kept.size() + 3);
  for (const char ch : kept) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(ch);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace synthminer::common
