// Result<T>: a value, or a message saying what was wrong. How telemetry
// reports a bad listen address or a bind failure without throwing out of its
// API.
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

namespace synthminer::telemetry {

struct Error {
  std::string message;
};

/// What Result::error() returns: the message.
inline const std::string& error_view(const Error& e) {
  return e.message;
}

template <class T>
using Result = common::Result<T, Error>;

}  // namespace synthminer::telemetry
