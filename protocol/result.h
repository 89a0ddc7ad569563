// Result<T>: a value, or a message saying what was wrong. How the protocol
// (and the Stratum client above it) reports bad input from pools without
// exceptions at its boundary.
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

namespace synthminer::protocol {

struct Error {
  std::string message;
};

/// What Result::error() returns: the message.
inline const std::string& error_view(const Error& e) {
  return e.message;
}

template <class T>
using Result = common::Result<T, Error>;

}  // namespace synthminer::protocol
