// Result<T, E>: a value, or an error saying what was wrong. How modules
// report failures at their boundaries without exceptions. Each module keeps
// its own Error type (a message; config's also names the file and JSON path)
// and its own alias, `Result<T> = common::Result<T, Error>`.
//
// error() returns error_view(e), found next to the module's Error: the
// message string for modules whose Error is only a message, the Error itself
// for richer ones.
#pragma once

#include <utility>
#include <variant>

namespace synthminer::common {

template <class T, class E>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  decltype(auto) error() const { return error_view(std::get<E>(v_)); }

 private:
  std::variant<T, E> v_;
};

}  // namespace synthminer::common
