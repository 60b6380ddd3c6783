#pragma once

#include "app/session_guard.hpp"
#include "domain/webhook_event.hpp"
#include "net/router.hpp"

#include <functional>
#include <optional>
#include <string_view>

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

using payload_parser = std::function<std::optional<domain::webhook_event>(std::string_view)>;

// GET /api/v1/webhook-events?status=…&before=…&limit=… (any user) and
// POST /api/v1/webhook-events/{id}/replay (owners only; failed or dead events go back to be
// applied).
void add_webhook_event_routes(net::router& routes, caf::actor_system& actors,
                              storage::pg_pool& pool, payload_parser parse,
                              const session_guard& guard);

}  // namespace crmd::app
