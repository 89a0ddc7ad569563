#include "telemetry/labels.h"

#include <cstdint>

namespace synthminer::telemetry {

namespace {

/// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid
/// (overlong forms, surrogates and code points above U+10FFFF included).
size_t utf8_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  size_t len = 0;
  uint32_t cp = 0;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::string sanitize_reason(std::string_view reason) {
  std::string out;
  bool gap = false;
  for (const char c : reason) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out.push_back('_');
    gap = false;
    if (out.size() >= kMaxReasonLength) break;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  while (out.size() > kMaxReasonLength || (!out.empty() && out.back() == '_')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

std::string sanitize_name(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    const size_t len = utf8_length(name, i);
    const auto b = static_cast<uint8_t>(name[i]);
    const bool control = len == 1 && (b < 0x20 || b == 0x7F);
    const size_t take = (len == 0 || control) ? 1 : len;
    if (out.size() + (len == 0 ? 1 : take) > kMaxNameLength) break;
    if (len == 0 || control) {
      out.push_back('_');
    } else {
      out.append(name.substr(i, len));
    }
    i += take;
  }
  return out.empty() ? "unnamed" : out;
}

std::string BoundedLabels::admit(const std::string& value) {
  if (admitted_.count(value) != 0) return value;
  if (admitted_.size() >= cap_) return overflow_;
  admitted_.insert(value);
  return value;
}

}  // namespace synthminer::telemetry
