// Bearer-token checks for the API: the listen-address policy the daemon
// applies before starting, which requests need a token, and the
// constant-time comparison. Nothing here ever copies the token into a
// message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/result.h"

namespace synthminer::http {

/// True for "localhost", 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback_host(std::string_view host);

/// The daemon calls this before starting the API: a listener beyond
/// loopback without a token (unset or empty) is refused with a message
/// naming the address and the fix. nullopt when the combination is fine.
std::optional<Error> check_listen_security(std::string_view host, uint16_t port,
                                           const std::optional<std::string>& token);

/// Whether a request needs a token: every method other than GET and HEAD,
/// every request on a listener beyond loopback, and routes that ask for it.
/// `open_loopback` (the demo's choice, ServerOptions::open_loopback): on a
/// loopback listener nothing needs one.
bool needs_token(Verb method, bool loopback_listener, bool route_requires_auth,
                 bool open_loopback = false);

/// Compares `a` and `b` in time independent of their contents and lengths
/// (both are hashed with SHA-256 and the digests compared with CRYPTO_memcmp).
bool constant_time_equal(std::string_view a, std::string_view b);

/// The token of an "Authorization: Bearer <token>" value (scheme matched
/// case-insensitively, surrounding blanks ignored); nullopt for any other form.
std::optional<std::string_view> bearer_token(std::string_view authorization);

/// Checks `authorization` (the header's value, nullopt when absent) against
/// `token` (nullopt when none is configured). nullopt when allowed, else the
/// error response: 403 when no token is configured, 401 otherwise.
std::optional<Response> check_bearer(std::optional<std::string_view> authorization,
                                     const std::optional<std::string>& token);

}  // namespace synthminer::http
