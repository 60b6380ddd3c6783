#pragma once

#include "net/http_types.hpp"
#include "net/websocket.hpp"

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

  // A WebSocket endpoint: GET upgrade requests on `pattern` go to `h` (others get 426). Same
  // pattern rules and exceptions as add().
  void add_websocket(std::string pattern, std::string name, ws_handler h);

  struct ws_match_result {
    const ws_handler* target = nullptr;  // null when no WebSocket route has this path
    std::string route_name;
    std::map<std::string, std::string> params;
  };
  ws_match_result match_websocket(std::string_view path) const;

  // Every route as registered (WebSocket routes as GET), for checking the API description.
  struct route_info {
    std::string method;
    std::string pattern;
    std::string name;
  };
  std::vector<route_info> describe() const;

 private:
  struct route {
    std::string method;
    std::vector<std::string> segments;
    std::string name;
    handler h;
  };
  struct ws_route {
    std::vector<std::string> segments;
    std::string name;
    ws_handler h;
  };
  std::vector<route> routes_;
  std::vector<ws_route> ws_routes_;
};

}  // namespace crmd::net
