#pragma once

#include "net/http_types.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace crmd::net {

// Maps method + path pattern to a handler. Patterns are literal segments and `{name}` captures,
// e.g. "/api/v1/webhook-events/{id}/replay". A path that matches a pattern but not its method
// yields 405 with an Allow header; no match yields 404.
class router {
 public:
  // `name` is the route's label in metrics (bounded cardinality), e.g. "readyz". Throws
  // std::invalid_argument for a pattern that does not start with '/' or repeats a method+pattern.
  void add(std::string method, std::string pattern, std::string name, handler h);

  struct match_result {
    const handler* target = nullptr;  // null when not found or method not allowed
    std::string route_name;           // "not_found" / "method_not_allowed" when no target
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed_methods;  // filled on method_not_allowed
  };
  // HEAD falls back to the GET route; the server drops the body. When several patterns match,
  // the one with a literal segment earliest wins ("/contacts/search" over "/contacts/{id}").
  match_result match(std::string_view method, std::string_view path) const;

 private:
  struct route {
    std::string method;
    std::vector<std::string> segments;
    std::string name;
    handler h;
  };
  std::vector<route> routes_;
};

}  // namespace crmd::net
