#pragma once

#include "net/router.hpp"

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

class session_guard;

// GET /api/v1/contacts?q=&limit=&cursor= (search by name, company, email or number),
// GET /api/v1/contacts/{id} (with its conversations) and PATCH /api/v1/contacts/{id} (also
// {"opted_out": bool}, audited with the user in opt_out_events).
void add_contact_routes(net::router& routes, const session_guard& guard, storage::pg_pool& pool);

}  // namespace crmd::app
