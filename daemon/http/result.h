// Result<T> and Error: how synthminer::http reports failures the caller can
// act on (a listen address it cannot bind, a listener it refuses to open
// without a token) without exceptions at its boundary.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace synthminer::http {

struct Error {
  std::string message;  ///< for a log line or an exit message; never holds the token
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
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace synthminer::http
