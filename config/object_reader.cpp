#include "config/object_reader.h"

#include <cmath>
#include <sstream>

namespace synthminer::config {
namespace {

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

void fail(std::string path, std::string reason) {
  throw FieldError{std::move(path), std::move(reason)};
}

std::string json_pointer(const std::string& parent, std::string_view key) {
  std::string out = parent + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

ObjectReader::ObjectReader(const nlohmann::json& value, std::string path)
    : value_(value), path_(std::move(path)) {
  if (!value_.is_object()) fail(path_.empty() ? "/" : path_, "must be an object");
}

const nlohmann::json* ObjectReader::find(std::string_view key) {
  known_.emplace(key);
  const auto it = value_.find(key);
  return it == value_.end() ? nullptr : &*it;
}

const nlohmann::json& ObjectReader::require(std::string_view key) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) fail(path_of(key), "is required");
  return *v;
}

void ObjectReader::read_bool(std::string_view key, bool& out) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_boolean()) fail(path_of(key), "must be true or false");
  out = v->get<bool>();
}

void ObjectReader::read_string(std::string_view key, std::string& out) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_string()) fail(path_of(key), "must be a string");
  out = v->get<std::string>();
}

void ObjectReader::read_string(std::string_view key, std::optional<std::string>& out) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  if (!v->is_string()) fail(path_of(key), "must be a string");
  out = v->get<std::string>();
}

void ObjectReader::read_uint(std::string_view key, uint64_t& out, uint64_t min, uint64_t max) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  const bool in_range =
      v->is_number_unsigned() && v->get<uint64_t>() >= min && v->get<uint64_t>() <= max;
  if (!in_range) {
    fail(path_of(key), "must be an integer " + std::to_string(min) + ".." + std::to_string(max));
  }
  out = v->get<uint64_t>();
}

void ObjectReader::read_uint(std::string_view key, uint32_t& out, uint32_t min, uint32_t max) {
  uint64_t wide = out;
  read_uint(key, wide, min, max);
  out = static_cast<uint32_t>(wide);
}

void ObjectReader::read_number(std::string_view key, double& out, double min, double max,
                               bool min_exclusive) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  const double x = v->is_number() ? v->get<double>() : std::nan("");
  const bool above_min = min_exclusive ? x > min : x >= min;
  if (!(std::isfinite(x) && above_min && x <= max)) {
    fail(path_of(key), std::string("must be a number ") + (min_exclusive ? "> " : ">= ") +
                           format_number(min) + " and <= " + format_number(max));
  }
  out = x;
}

void ObjectReader::read_index_list(std::string_view key, std::optional<std::vector<uint32_t>>& out,
                                   uint32_t max) {
  const nlohmann::json* v = find(key);
  if (v == nullptr) return;
  const std::string path = path_of(key);
  if (!v->is_array()) fail(path, "must be a list of integers 0.." + std::to_string(max));
  std::vector<uint32_t> list;
  for (size_t i = 0; i < v->size(); ++i) {
    const nlohmann::json& item = (*v)[i];
    const std::string item_path = json_pointer(path, std::to_string(i));
    if (!item.is_number_unsigned() || item.get<uint64_t>() > max) {
      fail(item_path, "must be an integer 0.." + std::to_string(max));
    }
    const auto index = static_cast<uint32_t>(item.get<uint64_t>());
    for (uint32_t seen : list) {
      if (seen == index) fail(item_path, "duplicate index " + std::to_string(index));
    }
    list.push_back(index);
  }
  out = std::move(list);
}

void ObjectReader::finish() const {
  for (const auto& [key, v] : value_.items()) {
    if (known_.contains(key)) continue;
    if (!key.empty() && key.front() == '_') {
      if (!v.is_string())
        fail(path_of(key), "a comment (a key starting with '_') must be a string");
      continue;
    }
    fail(path_of(key), "unknown key");
  }
}

}  // namespace synthminer::config
