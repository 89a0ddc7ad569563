// Result<T> and Error: how synthminer::http reports failures the caller can
// act on (a listen address it cannot bind, a listener it refuses to open
// without a token) without exceptions at its boundary.
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

namespace synthminer::http {

struct Error {
  std::string message;  ///< for a log line or an exit message; never holds the token
};

/// What Result::error() returns: the Error itself.
inline const Error& error_view(const Error& e) {
  return e;
}

template <class T>
using Result = common::Result<T, Error>;

}  // namespace synthminer::http
