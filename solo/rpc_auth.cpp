#include "solo/rpc_auth.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/printable.h"

namespace synthminer::solo {
namespace {

RpcError cookie_error(const std::string& path, const std::string& what) {
  return RpcError{RpcErrorKind::kCookie, 0,
                  "cookie file '" + common::printable(path, 160) + "': " + what};
}

}  // namespace

common::Result<RpcLogin, RpcError> read_cookie(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    // ENOENT is common while the node restarts: it deletes and rewrites it.
    const int err = errno;
    return cookie_error(path, std::string(std::strerror(err)) +
                                  (err == ENOENT ? " (the node writes it when it starts)" : ""));
  }
  std::string text(kMaxCookieBytes + 1, '\0');
  const size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get())) return cookie_error(path, std::strerror(errno));
  if (n > kMaxCookieBytes) {
    return cookie_error(path, "over " + std::to_string(kMaxCookieBytes) + " bytes");
  }
  text.resize(n);
  text = text.substr(0, text.find_first_of("\r\n"));
  const size_t colon = text.find(':');
  if (text.empty()) return cookie_error(path, "empty");
  if (colon == std::string::npos) return cookie_error(path, "no ':' between user and password");
  if (colon == 0) return cookie_error(path, "no user before the ':'");
  return RpcLogin{text.substr(0, colon), text.substr(colon + 1)};
}

std::string basic_authorization(const RpcLogin& login) {
  const std::string plain = login.user + ":" + login.password;
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');  // and EVP's NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size()));
  encoded.resize(static_cast<size_t>(n));
  return "Basic " + encoded;
}

}  // namespace synthminer::solo
