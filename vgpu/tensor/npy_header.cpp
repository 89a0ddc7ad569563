#include "vgpu/tensor/npy_header.h"

#include <cctype>
#include <optional>

namespace jarvis {
namespace {

constexpr const char* kPrefix = "npy header: ";
// numpy leaves room for a first axis of this many digits (GROWTH_AXIS_MAX_DIGITS).
constexpr size_t kGrowthAxisDigits = 21;

// A cursor over the header text; every reader skips leading spaces.
class HeaderReader {
 public:
  explicit HeaderReader(std::string_view text) : text_(text) {}

  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool at_end() {
    skip_spaces();
    return pos_ == text_.size();
  }
  bool take(char ch) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == ch) {
      ++pos_;
      return true;
    }
    return false;
  }
  char peek() {
    skip_spaces();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  // A Python string literal in ' or " without escapes (numpy writes none).
  std::optional<std::string> string_literal() {
    skip_spaces();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) return std::nullopt;
    const char quote = text_[pos_];
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) return std::nullopt;
    std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
    if (value.find('\\') != std::string::npos) return std::nullopt;
    pos_ = end + 1;
    return value;
  }
  // A word of letters (True, False).
  std::string_view word() {
    skip_spaces();
    const size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // A non-negative decimal integer as Python writes it: no sign, no leading
  // zero, below 2^63.
  std::optional<uint64_t> integer() {
    skip_spaces();
    const size_t start = pos_;
    uint64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      if (value > (uint64_t{1} << 59)) return std::nullopt;
      value = value * 10 + static_cast<uint64_t>(text_[pos_] - '0');
      ++pos_;
    }
    const size_t digits = pos_ - start;
    if (digits == 0 || (digits > 1 && text_[start] == '0')) return std::nullopt;
    return value;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::string fail(const std::string& reason) {
  return kPrefix + reason;
}

// (), (3,), (3, 4), (3, 4,): a tuple; (3) is an int in Python, so refused.
std::string read_shape(HeaderReader& in, size_t max_dims, std::vector<uint64_t>& out) {
  if (!in.take('(')) return fail("shape must be a tuple of integers, e.g. (3, 4)");
  out.clear();
  bool comma_after_last = false;
  while (!in.take(')')) {
    if (!out.empty() && !comma_after_last) return fail("shape: expected ',' or ')'");
    auto dim = in.integer();
    if (!dim) return fail("shape: expected a non-negative integer");
    if (out.size() == max_dims)
      return fail("shape has more than " + std::to_string(max_dims) + " dimensions");
    out.push_back(*dim);
    comma_after_last = in.take(',');
  }
  if (out.size() == 1 && !comma_after_last) return fail("shape must be a tuple: (n,) not (n)");
  return {};
}

std::string read_value(HeaderReader& in, const std::string& key, size_t max_dims, NpyHeader& out) {
  if (key == "descr") {
    auto descr = in.string_literal();
    if (!descr) return fail("descr must be a string such as '<f8'");
    out.descr = std::move(*descr);
    return {};
  }
  if (key == "fortran_order") {
    const std::string_view w = in.word();
    if (w != "True" && w != "False") return fail("fortran_order must be True or False");
    out.fortran_order = w == "True";
    return {};
  }
  return read_shape(in, max_dims, out.shape);
}

}  // namespace

std::string parse_npy_header(std::string_view text, size_t max_dims, NpyHeader& out) {
  HeaderReader in(text);
  if (!in.take('{')) return fail("expected a dict starting with '{'");
  bool seen[3] = {false, false, false};
  const char* keys[3] = {"descr", "fortran_order", "shape"};
  bool comma_after_last = true;
  while (!in.take('}')) {
    if (!comma_after_last) return fail("expected ',' or '}' after a value");
    auto key = in.string_literal();
    if (!key) return fail("expected a quoted key or '}'");
    size_t index = 3;
    for (size_t i = 0; i < 3; ++i)
      if (*key == keys[i]) index = i;
    if (index == 3) return fail("unknown key (expected exactly descr, fortran_order, shape)");
    if (seen[index]) return fail("key '" + *key + "' given twice");
    seen[index] = true;
    if (!in.take(':')) return fail("expected ':' after '" + *key + "'");
    if (auto err = read_value(in, *key, max_dims, out); !err.empty()) return err;
    comma_after_last = in.take(',');
  }
  if (!in.at_end()) return fail("unexpected text after the dict's '}'");
  for (size_t i = 0; i < 3; ++i)
    if (!seen[i]) return fail(std::string("missing key '") + keys[i] + "'");
  return {};
}

std::string format_npy_header(std::string_view descr, const std::vector<uint64_t>& shape) {
  std::string text = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1) text += ',';
  text += "), }";
  if (!shape.empty()) {
    const size_t digits = std::to_string(shape[0]).size();
    text.append(kGrowthAxisDigits - digits, ' ');
  }
  return text;
}

}  // namespace jarvis
