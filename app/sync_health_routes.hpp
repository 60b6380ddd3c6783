#pragma once

#include "net/router.hpp"

namespace caf {
class actor_system;
}

namespace crmd::app {

class session_guard;

// GET /api/v1/sync/health: the header's green/amber/red verdict with its reason, checked afresh
// by the sync health actor (which also publishes changes on the `sync` topic).
void add_sync_health_routes(net::router& routes, const session_guard& guard,
                            caf::actor_system& actors);

}  // namespace crmd::app
