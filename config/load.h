// Reading the config: JSON text or a file in, a checked Config or the first
// error out. Every error names the JSON path and the reason
// ("/pools/0/url: must start with stratum+tcp://, …"); unknown keys are
// refused; keys starting with '_' are comments and must hold strings.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/result.h"

namespace synthminer::config {

/// How a config is read.
struct LoadOptions {
  /// False for the demo, which mines against its own pool: a missing
  /// "pools" is then accepted (one that is present is still checked).
  bool pools_required = true;
};

/// Parses and validates a whole config document. A syntax error's reason
/// names its byte offset; Error::file is left empty.
Result<Config> parse_config(std::string_view json_text, const LoadOptions& options = {});

/// Reads `path` (at most 1 MiB) and parses it; every error carries the path
/// in Error::file, and a file that cannot be read says why.
Result<Config> load_config_file(const std::string& path, const LoadOptions& options = {});

}  // namespace synthminer::config
