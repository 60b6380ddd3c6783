#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <cstddef>

namespace crmd {

// Publishes live changes to whoever subscribed to a topic (WebSocket sessions, tests). Callers
// publish only after the change is committed; frames are {"event": …, "data": …} JSON text.
hub_actor spawn_hub_actor(caf::actor_system& system, std::size_t max_subscribers_per_topic = 10000);

}  // namespace crmd
