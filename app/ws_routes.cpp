#include "app/ws_routes.hpp"

#include "actors/ws_client_actor.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

#include <memory>

namespace crmd::app {

namespace {

// The connection's callbacks forward to its actor; the actor quits on ws_closed_atom.
net::ws_callbacks connect_client(caf::actor_system& actors,
                                 std::shared_ptr<net::ws_connection> connection,
                                 ws_route_options options) {
  auto client = spawn_ws_client(actors, std::move(connection),
                                {.heartbeat_s = options.heartbeat_s});
  return {
    .on_message = [client](std::string text) {
      caf::anon_send(client, atoms::ws_frame_atom_v, std::move(text));
    },
    .on_close = [client] { caf::anon_send(client, atoms::ws_closed_atom_v); },
  };
}

}  // namespace

void add_ws_routes(net::router& routes, caf::actor_system& actors, ws_authorize authorize,
                   ws_route_options options) {
  routes.add_websocket(
    "/ws", "ws",
    [&actors, authorize = std::move(authorize), options](
      net::http_request&& request, std::shared_ptr<net::ws_upgrade> upgrade) {
      authorize(request, [&actors, upgrade, options](bool allowed) {
        if (!allowed) {
          upgrade->reject(net::error_response(401, "unauthenticated", "sign in first"));
          return;
        }
        upgrade->accept([&actors, options](std::shared_ptr<net::ws_connection> connection) {
          return connect_client(actors, std::move(connection), options);
        });
      });
    });
}

}  // namespace crmd::app
