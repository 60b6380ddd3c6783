#pragma once

#include "net/router.hpp"

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

class session_guard;

// GET /api/v1/contacts/{id}/timeline?limit=&cursor= (every activity of the contact, newest
// first, keyset pages) and GET /api/v1/activities/{id}.
void add_timeline_routes(net::router& routes, const session_guard& guard, storage::pg_pool& pool);

}  // namespace crmd::app
