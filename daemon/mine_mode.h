// `synthminerd --config FILE`: mines against the configured pools with the
// enabled devices until SIGINT or SIGTERM, logging a status line every 10 s.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace synthminer::daemon {

class RedactingSink;

/// Exit code for a config file that cannot be used (README: exit codes).
inline constexpr int kExitBadConfig = 3;

/// `--check-config FILE`: validates and says what is wrong. Exit code.
int check_config(const std::string& path);

/// Mines until a stop signal; returns the exit code. `backend` and
/// `threads` from the command line win over the config file.
/// Mines with the config at `config_path` until SIGINT/SIGTERM; SIGHUP
/// reloads it. `log_sink` (from setup_logging) learns the secrets to blank.
int run_mining(const std::string& config_path, const std::optional<std::string>& backend,
               unsigned threads, const std::shared_ptr<RedactingSink>& log_sink);

}  // namespace synthminer::daemon
