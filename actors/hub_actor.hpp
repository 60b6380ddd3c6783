#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace crmd {

struct hub_options {
  // A leak of subscriptions must not grow without bound: beyond this a topic refuses newcomers.
  std::size_t max_subscribers_per_topic = 10000;
  // Published frames kept for replay (CRM_WS_REPLAY_EVENTS); a client that missed more resyncs.
  std::size_t replay_events = 10000;
};

// Publishes live changes to whoever subscribed to a topic (WebSocket clients, tests). Callers
// publish only after the change is committed; frames are {"event": …, "data": …} JSON text.
// Every publish gets the next seq of this run, whose random epoch is chosen at spawn.
hub_actor spawn_hub_actor(caf::actor_system& system, hub_options options = {});

// A frame about a conversation's record goes to `inbox` and, when the conversation is known, to
// `conversation:<id>`; every publisher of activity and conversation frames sends it this way.
void publish_conversation_frame(const hub_actor& hub, const std::string& frame,
                                const std::optional<std::string>& conversation_id);

}  // namespace crmd
