#include "vgpu/payload/payload_parse.h"

#include <cmath>

namespace jarvis {
namespace {

using nlohmann::json;

std::string index_path(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Reads one number; the message says what was found instead.
std::string read_number(const json& v, const std::string& path, double& out) {
  if (!v.is_number()) return path + ": expected a number, got " + std::string(v.type_name());
  out = v.get<double>();
  if (!std::isfinite(out)) return path + ": not a finite number";
  return {};
}

// Element `i` of the array at `path`. The element's path is only built for
// an error: arrays hold millions of numbers.
std::string read_element(const json& v, const std::string& path, size_t i, double& out) {
  if (v.is_number() && std::isfinite(out = v.get<double>())) return {};
  return read_number(v, index_path(path, i), out);
}

}  // namespace

std::string parse_matrix(const json& value, const std::string& path, uint64_t max_elements,
                         uint64_t max_dim, Eigen::MatrixXd& out) {
  if (value.is_null()) return path + ": missing";
  if (!value.is_array()) return path + ": expected an array of rows or of numbers";
  if (value.empty()) return path + ": empty";
  const bool flat = !value.front().is_array();
  const uint64_t rows = flat ? 1 : value.size();
  const uint64_t cols = flat ? value.size() : value.front().size();
  if (cols == 0) return index_path(path, 0) + ": empty row";
  if (rows > max_dim || cols > max_dim)
    return path + ": " + std::to_string(rows) + " x " + std::to_string(cols) +
           " exceeds the limit of " + std::to_string(max_dim) + " rows or columns";
  if (rows * cols > max_elements)
    return path + ": " + std::to_string(rows) + " x " + std::to_string(cols) +
           " exceeds the limit of " + std::to_string(max_elements) + " elements";
  out.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  if (flat) {
    for (size_t c = 0; c < cols; ++c) {
      double x = 0;
      if (auto err = read_element(value[c], path, c, x); !err.empty()) return err;
      out(0, static_cast<Eigen::Index>(c)) = x;
    }
    return {};
  }
  for (size_t r = 0; r < rows; ++r) {
    const json& row = value[r];
    const std::string row_path = index_path(path, r);
    if (!row.is_array()) return row_path + ": expected a row (array of numbers)";
    if (row.size() != cols)
      return row_path + ": row has " + std::to_string(row.size()) + " entries, expected " +
             std::to_string(cols);
    for (size_t c = 0; c < cols; ++c) {
      double x = 0;
      if (auto err = read_element(row[c], row_path, c, x); !err.empty()) return err;
      out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = x;
    }
  }
  return {};
}

std::string parse_vector(const json& value, const std::string& path, uint64_t max_length,
                         std::vector<double>& out) {
  if (value.is_null()) return path + ": missing";
  if (!value.is_array()) return path + ": expected an array of numbers";
  if (value.empty()) return path + ": empty";
  if (value.size() > max_length)
    return path + ": " + std::to_string(value.size()) + " entries exceed the limit of " +
           std::to_string(max_length);
  out.resize(value.size());
  for (size_t i = 0; i < value.size(); ++i)
    if (auto err = read_element(value[i], path, i, out[i]); !err.empty()) return err;
  return {};
}

std::string read_string(const json& payload, const char* field, bool required, std::string& out) {
  auto it = payload.find(field);
  if (it == payload.end()) return required ? std::string(field) + ": missing" : std::string();
  if (!it->is_string()) return std::string(field) + ": expected a string";
  out = it->get<std::string>();
  return {};
}

std::optional<uint64_t> whole_number(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer()) {
    const int64_t v = value.get<int64_t>();
    if (v < 0) return std::nullopt;
    return static_cast<uint64_t>(v);
  }
  if (value.is_number_float()) {
    const double x = value.get<double>();
    if (x >= 0 && x < 0x1p64 && std::trunc(x) == x) return static_cast<uint64_t>(x);
  }
  return std::nullopt;
}

std::string read_uint(const json& payload, const char* field, uint64_t min, uint64_t max,
                      uint64_t& out) {
  auto it = payload.find(field);
  if (it == payload.end()) return {};
  const std::optional<uint64_t> whole = whole_number(*it);
  if (!whole) return std::string(field) + ": expected a non-negative integer";
  const uint64_t v = *whole;
  if (v < min || v > max)
    return std::string(field) + ": " + std::to_string(v) + " is outside [" + std::to_string(min) +
           ", " + std::to_string(max) + "]";
  out = v;
  return {};
}

std::string read_double(const json& payload, const char* field, double min, double max,
                        double& out) {
  auto it = payload.find(field);
  if (it == payload.end()) return {};
  double v = 0;
  if (auto err = read_number(*it, field, v); !err.empty()) return err;
  if (v < min || v > max)
    return std::string(field) + ": " + std::to_string(v) + " is outside [" + std::to_string(min) +
           ", " + std::to_string(max) + "]";
  out = v;
  return {};
}

std::string read_bool(const json& payload, const char* field, bool& out) {
  auto it = payload.find(field);
  if (it == payload.end()) return {};
  if (!it->is_boolean()) return std::string(field) + ": expected true or false";
  out = it->get<bool>();
  return {};
}

json matrix_to_json(const Eigen::MatrixXd& m) {
  json rows = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

json vector_to_json(const Eigen::VectorXd& v) {
  json out = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) out.push_back(v(i));
  return out;
}

std::string to_hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::string from_hex(std::string_view hex, const std::string& path, std::vector<uint8_t>& out) {
  if (hex.size() % 2 != 0) return path + ": odd number of hex digits";
  out.resize(hex.size() / 2);
  auto digit = [](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return path + ": non-hex digit at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1);
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return {};
}

}  // namespace jarvis
