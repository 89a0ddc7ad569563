// Router: the table of routes the daemon registers, method + exact path to
// a handler, each with its own body limit and auth requirement. Filled
// before the server starts and read-only afterwards, so any strand may look
// routes up without a lock.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/responder.h"

namespace synthminer::http {

/// Called on the connection's strand (the io thread). It must not block:
/// long work goes to another thread, which answers through the responder.
using Handler = std::function<void(Request, Responder)>;

constexpr std::size_t kDefaultBodyLimitBytes = 64 * 1024;

struct Route {
  Verb method = Verb::get;
  /// Matched exactly, e.g. "/1/pools/switch"; the query string is ignored.
  /// A path ending in "/*" matches one more non-empty segment without '/',
  /// e.g. "/1/vgpu/jobs/*" matches "/1/vgpu/jobs/42" (path_segment() reads it).
  std::string path;
  Handler handler;
  std::size_t body_limit_bytes = kDefaultBodyLimitBytes;  ///< larger bodies get 413
  /// Whether a valid token is needed even for a GET on a loopback listener.
  /// Every method other than GET and HEAD, and every request on a listener
  /// beyond loopback, needs one regardless.
  bool requires_auth = false;
  /// Parse the body as JSON (400 when it is not); false hands it over raw.
  bool json_body = true;
};

/// The last segment of `path` ("42" for "/1/vgpu/jobs/42"): what a "/*" route matched.
std::string_view path_segment(std::string_view path);

class Router {
 public:
  /// Adds `route`; false (and nothing added) when the method and path are
  /// already taken or the route has no handler.
  [[nodiscard]] bool add(Route route);

  struct Match {
    const Route* route = nullptr;  ///< null when nothing matched
    bool path_known = false;       ///< the path exists with other methods (405, not 404)
    std::string allow;             ///< the path's methods for an Allow header, e.g. "GET, POST"
  };
  /// The route for `method` on `path` (path without its query string).
  Match find(Verb method, std::string_view path) const;

 private:
  std::map<std::string, std::map<Verb, Route>, std::less<>> routes_;
};

}  // namespace synthminer::http
