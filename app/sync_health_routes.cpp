#include "app/sync_health_routes.hpp"

#include "actors/interfaces.hpp"
#include "app/api_support.hpp"
#include "app/session_guard.hpp"

#include <caf/all.hpp>

namespace crmd::app {

namespace {

constexpr std::chrono::seconds check_timeout{10};

// A short-lived actor carries the request: HTTP handlers never block on an actor. Its state
// comes in as spawn arguments (CAF 0.17 dereferences a null argument tuple otherwise).
void ask_watcher(caf::event_based_actor* self, caf::actor watcher, net::responder respond) {
  self->request(watcher, check_timeout, caf::get_atom_v)
    .then(
      [self, respond](const std::string& health) {
        respond(health.empty() ? database_unavailable() : net::json_response(200, health));
        self->quit();
      },
      [self, respond](caf::error&) {
        respond(database_unavailable());
        self->quit();
      });
}

void health(caf::actor_system& actors, net::responder respond) {
  auto watcher = actors.registry().get(registry_keys::sync_health);
  if (!watcher)
    return respond(net::error_response(503, "starting", "sync health is not being watched yet"));
  actors.spawn(ask_watcher, caf::actor_cast<caf::actor>(watcher), std::move(respond));
}

}  // namespace

void add_sync_health_routes(net::router& routes, const session_guard& guard,
                            caf::actor_system& actors) {
  routes.add("GET", "/api/v1/sync/health", "sync_health",
             guard.protect([&actors](net::http_request&&, principal, net::responder respond) {
               health(actors, std::move(respond));
             }));
}

}  // namespace crmd::app
