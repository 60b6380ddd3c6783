#pragma once

#include "net/router.hpp"

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

class session_guard;

// GET /api/v1/inbox?limit=&cursor= (conversations by last activity, unread per calling user) and
// POST /api/v1/conversations/{id}/read.
void add_inbox_routes(net::router& routes, const session_guard& guard, storage::pg_pool& pool);

}  // namespace crmd::app
