#pragma once

#include "net/router.hpp"

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

class session_guard;

// POST /api/v1/conversations/{id}/messages {"body"} [Idempotency-Key]: stores the text as a
// pending outgoing activity, answers 202 with it, and hands it to the message sender; the
// provider's answer and its webhook then update that same row.
void add_message_routes(net::router& routes, const session_guard& guard, caf::actor_system& actors,
                        storage::pg_pool& pool);

}  // namespace crmd::app
