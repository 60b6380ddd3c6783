#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <string>

namespace crmd {

struct webhook_metrics;

struct conversation_options {
  int max_attempts = 8;  // failed applies before an event is marked dead
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{600000};
  std::chrono::milliseconds db_timeout{30000};
  std::size_t max_group = 64;  // queued events applied in one transaction
};

// Applies the events of one conversation (or one call, or one contact: see routing_key) in
// arrival order, the events queued at that moment in one transaction (one by one after a group
// failed, to isolate the bad event), then publishes the fresh activity on the hub ("inbox" and
// "conversation:<id>") and tells the registry (applied_atom, row id). A failing event is
// retried with backoff while later events go ahead; after max_attempts it is marked dead.
// Stops on passivate_atom, which the registry sends only when nothing is in flight.
// Spawned monitored by `registry`, which must be the calling actor.
caf::actor spawn_conversation_actor(caf::local_actor* registry, std::string key,
                                    conversation_options options, webhook_metrics& metrics);

}  // namespace crmd
