#include "vgpu/cache/canonical_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace jarvis {
namespace {

template <class T>
void append_number(std::string& out, T value) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void append_double(std::string& out, double x) {
  if (x == 0) {
    out += std::signbit(x) ? "-0" : "0";
  } else if (std::trunc(x) == x && x >= -0x1p63 && x < 0x1p63) {
    append_number(out, static_cast<int64_t>(x));
  } else if (std::trunc(x) == x && x > 0 && x < 0x1p64) {
    append_number(out, static_cast<uint64_t>(x));
  } else {
    append_number(out, x);  // shortest round trip
  }
}

}  // namespace

void append_canonical_json(std::string& out, const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        out += nlohmann::json(it.key()).dump();
        out += ':';
        append_canonical_json(out, it.value());
      }
      out += '}';
      return;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        append_canonical_json(out, item);
      }
      out += ']';
      return;
    }
    case Type::number_unsigned:
      append_number(out, value.get<uint64_t>());
      return;
    case Type::number_integer:
      append_number(out, value.get<int64_t>());
      return;
    case Type::number_float:
      append_double(out, value.get<double>());
      return;
    default:
      out += value.dump();
      return;
  }
}

}  // namespace jarvis
