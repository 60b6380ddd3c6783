#pragma once

#include "net/http_types.hpp"
#include "net/router.hpp"

#include <functional>

namespace caf {
class actor_system;
}

namespace crmd::app {

// Decides whether an upgrade request may open /ws (the session cookie); calls `done` exactly
// once, from any thread.
using ws_authorize =
  std::function<void(const net::http_request& request, std::function<void(bool allowed)> done)>;

struct ws_route_options {
  int heartbeat_s = 20;  // announced in hello; the server's WebSocket ping interval
};

// GET /ws (upgrade): 401 `unauthenticated` unless `authorize` allows it, else one
// ws_client_actor per connection (docs/api/websocket.md). The Origin check is the server's
// (net::origin_matches_host, 403 `bad_origin`) and runs before `authorize`.
void add_ws_routes(net::router& routes, caf::actor_system& actors, ws_authorize authorize,
                   ws_route_options options = {});

}  // namespace crmd::app
