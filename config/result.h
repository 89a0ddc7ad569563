// Result<T>: a config value, or an Error that names where it went wrong (the
// file, the JSON path) and why. How the config module reports bad input
// without exceptions at its boundary.
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

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

/// What Result::error() returns: the Error itself.
inline const Error& error_view(const Error& e) {
  return e;
}

template <class T>
using Result = common::Result<T, Error>;

}  // namespace synthminer::config
