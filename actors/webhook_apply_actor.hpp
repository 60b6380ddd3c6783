#pragma once

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>

namespace crmd {

struct webhook_metrics;

struct webhook_apply_options {
  std::size_t max_batch_events = 512;  // events of several groups in one transaction
  int max_in_flight = 2;               // transactions at once
  std::chrono::milliseconds db_timeout{30000};
  webhook_metrics* metrics = nullptr;  // apply lag per event; owned by the application
};

// Coalesces the groups conversation actors apply into shared transactions. A conversation actor
// sends (apply_atom, apply_request) and waits for the pg_outcome of its own events before it
// sends its next group, so every conversation's events stay in order, while the groups of many
// conversations share one set-based statement and one commit. Transactions run side by side
// only when their groups name no row in common (apply_request::locks): otherwise one would wait
// for the other's commit inside PostgreSQL. When a shared transaction fails,
// each of its groups runs again on its own, so a bad event only fails its own group (whose actor
// then isolates it) and a lost race only costs a retry.
caf::actor spawn_webhook_apply_actor(caf::actor_system& system, webhook_apply_options options);

}  // namespace crmd
