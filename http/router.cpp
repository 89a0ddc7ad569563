#include "http/router.h"

#include <boost/beast/http/verb.hpp>

namespace synthminer::http {

bool Router::add(Route route) {
  if (!route.handler || route.path.empty()) return false;
  auto& methods = routes_[route.path];
  const Verb method = route.method;
  return methods.emplace(method, std::move(route)).second;
}

std::string_view path_segment(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

Router::Match Router::find(Verb method, std::string_view path) const {
  Match match;
  auto it = routes_.find(path);
  if (it == routes_.end()) {
    // "/a/b/x" may match "/a/b/*": one non-empty last segment.
    const auto slash = path.rfind('/');
    if (slash == std::string_view::npos || slash + 1 == path.size()) return match;
    std::string pattern(path.substr(0, slash + 1));
    pattern += '*';
    it = routes_.find(pattern);
    if (it == routes_.end()) return match;
  }
  match.path_known = true;
  const auto& methods = it->second;
  const bool has_get = methods.count(Verb::get) != 0;
  for (const auto& [verb, route] : methods) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += std::string(boost::beast::http::to_string(verb));
    if (verb == Verb::get && methods.count(Verb::head) == 0) match.allow += ", HEAD";
  }
  auto r = methods.find(method);
  // HEAD is GET without the body (RFC 9110 9.3.2).
  if (r == methods.end() && method == Verb::head && has_get) r = methods.find(Verb::get);
  if (r != methods.end()) match.route = &r->second;
  return match;
}

}  // namespace synthminer::http
