// Why a listener could not bind, in words an operator can act on: a port
// held by another program (often a second synthminerd with the default
// ports) is named as such, with the keys that give each instance its own.
#pragma once

#include <string>
#include <string_view>

namespace synthminer::daemon {

/// True when another socket listens on `listen` ("host:port"), so that
/// binding it fails with "address in use". False when it is free, or cannot
/// be parsed or resolved (the bind's own error says why then).
bool port_in_use(std::string_view listen);

/// `error`, followed by a hint when `listen` is in use by another program.
/// `key` is the config key that sets the address ("metrics.listen").
std::string explain_bind_error(std::string error, std::string_view listen, std::string_view key);

}  // namespace synthminer::daemon
