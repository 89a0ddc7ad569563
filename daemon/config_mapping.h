// From the config file's structs to each module's own options (the daemon
// is the only place that knows both).
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "stratum/client_options.h"

namespace synthminer::daemon {

stratum::ClientOptions client_options(const config::Config& config);

/// The CPU backend the config asks for: nullopt for "auto".
std::optional<std::string> cpu_backend_override(const config::Config& config);

}  // namespace synthminer::daemon
