// The node's RPC login: Bitcoin Core's cookie file, and the Basic
// Authorization header made from a user and password. Errors name the file
// and what is wrong with it, never what it holds.
#pragma once

#include <string>

#include "solo/rpc_types.h"

namespace synthminer::solo {

struct RpcLogin {
  std::string user;
  std::string password;
};

/// Bytes of a cookie file we read; Bitcoin Core's is about 75.
inline constexpr size_t kMaxCookieBytes = 4096;

/// The first line of the cookie file at `path`, split at its first ':'.
/// kCookie when the file is missing, unreadable, over kMaxCookieBytes, or
/// has no ':' or an empty user.
common::Result<RpcLogin, RpcError> read_cookie(const std::string& path);

/// "Basic " followed by base64("user:password") (RFC 7617).
std::string basic_authorization(const RpcLogin& login);

}  // namespace synthminer::solo
