// From the config file's structs to each module's own options (the daemon
// is the only place that knows both).
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "stratum/client_options.h"
#include "vgpu/jarvis.h"

namespace synthminer::daemon {

stratum::ClientOptions client_options(const config::Config& config);

/// The Jarvis layers' options from "vgpu": the profile's sizes (EXTREME_CONFIG
/// for "extreme"), then every key that is set.
jarvis::JarvisConfig jarvis_config(const config::VgpuConfig& vgpu);

/// An error naming the first node entry whose coinbase_address is no
/// address on any chain; the node's own chain is checked once connected.
std::optional<std::string> check_payout_addresses(const config::Config& config);

/// The CPU backend the config asks for: nullopt for "auto".
std::optional<std::string> cpu_backend_override(const config::Config& config);
/// The CPU backend to use: --backend (`cli`) ahead of the config's.
std::optional<std::string> cpu_backend(const config::Config& config,
                                       const std::optional<std::string>& cli);

}  // namespace synthminer::daemon
