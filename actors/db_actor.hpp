#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

namespace crmd::storage {
class pg_pool;
}

namespace crmd {

// Bridges the asynchronous pool into the actor world: an execute request is answered when the
// pool completes the batch, without blocking the actor. The pool must outlive the actor system's
// use of this actor (main stops the actors before the pool).
db_actor spawn_db_actor(caf::actor_system& system, storage::pg_pool& pool);

}  // namespace crmd
