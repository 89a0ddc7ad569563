// Result<T>: a config value, or an Error that names where it went wrong (the
// file, the JSON path) and why. How the config module reports bad input
// without exceptions at its boundary.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace synthminer::config {

struct Error {
  Error(std::string path_in, std::string reason_in, std::string file_in = {})
      : path(std::move(path_in)), reason(std::move(reason_in)), file(std::move(file_in)) {}

  std::string path;    ///< JSON pointer ("/pools/0/url"); "" for the document or the file itself
  std::string reason;  ///< what is wrong, e.g. "must be an integer 0..1024"
  std::string file;    ///< the file being read; "" when parsing text

  /// "file: /json/path: reason", leaving out the parts that are empty.
  std::string message() const {
    std::string out;
    if (!file.empty()) out += file + ": ";
    if (!path.empty()) out += path + ": ";
    return out + reason;
  }
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace synthminer::config
