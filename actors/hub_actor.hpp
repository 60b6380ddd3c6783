#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

namespace crmd {

// Publishes live changes to whoever subscribed to a topic (WebSocket sessions, tests). Callers
// publish only after the change is committed; frames are {"event": …, "data": …} JSON text.
hub_actor spawn_hub_actor(caf::actor_system& system);

}  // namespace crmd
