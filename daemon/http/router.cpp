#include "daemon/http/router.h"

#include <boost/beast/http/verb.hpp>

namespace synthminer::http {

bool Router::add(Route route) {
  if (!route.handler || route.path.empty()) return false;
  auto& methods = routes_[route.path];
  const Verb method = route.method;
  return methods.emplace(method, std::move(route)).second;
}

Router::Match Router::find(Verb method, std::string_view path) const {
  Match match;
  const auto it = routes_.find(path);
  if (it == routes_.end()) return match;
  match.path_known = true;
  for (const auto& [verb, route] : it->second) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += std::string(boost::beast::http::to_string(verb));
  }
  const auto r = it->second.find(method);
  if (r != it->second.end()) match.route = &r->second;
  return match;
}

}  // namespace synthminer::http
