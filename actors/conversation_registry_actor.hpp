#pragma once

#include "actors/conversation_actor.hpp"
#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace crmd {

struct webhook_metrics;

struct conversation_registry_options {
  conversation_options conversation;
  std::chrono::milliseconds idle_timeout{120000};      // passivate a conversation actor after
  std::chrono::milliseconds short_idle_timeout{5000};  // ... a call's or a contact's actor after
  std::chrono::milliseconds redrive_interval{30000};   // sweep for due events this often
  std::chrono::milliseconds redrive_min_age{60000};    // leave younger 'received' events alone
  int redrive_page = 500;
  // Events held in memory (dispatched, not yet applied) at most. Past it, a new event stays
  // stored as received, and so do the events after it, until a re-drive has fetched them in
  // order once half the room is free again: a burst the database cannot apply as fast as it
  // acknowledges costs apply lag, not unbounded memory, and no event overtakes an older one.
  std::size_t max_inflight = 20000;
  // Parses a stored payload again when it is re-driven (the wire format lives in integrations/).
  std::function<std::optional<domain::webhook_event>(std::string_view)> parse;
};

// Routes each stored event (apply_atom, webhook_job) to the actor of its routing key, spawning it
// on demand and passivating it when idle; respawns a crashed one and hands it the events it held.
// At start and then periodically it re-drives events that are stored but not applied.
caf::actor spawn_conversation_registry(caf::actor_system& system,
                                       conversation_registry_options options,
                                       webhook_metrics& metrics);

}  // namespace crmd
