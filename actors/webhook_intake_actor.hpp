#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>

namespace crmd {

struct webhook_metrics;

struct webhook_intake_options {
  std::size_t max_batch = 256;      // events per transaction
  std::size_t max_pending = 20000;  // beyond this, deliveries get 503 overloaded
  // How long the apply inside the storing transaction waits for a row another transaction
  // holds before it leaves the batch to the conversation actors.
  std::chrono::milliseconds apply_lock_timeout{100};
  std::chrono::milliseconds db_timeout{30000};
};

// Durable intake with group commit. Deliveries queue while a transaction is in flight and go
// into the next one, so at low load each is committed at once and under load many share one
// fsync. The transaction that stores a batch also applies its new understood events, so an
// acknowledged event's activity is already committed. Every delivery is answered only after its
// transaction committed (stored / duplicate / stored_not_understood) or failed (unavailable).
//
// One transaction at a time, so a conversation's events are applied in arrival order and two
// batches never wait inside PostgreSQL for each other's rows. (Two transactions side by side,
// each with the conversations of one hash lane, were no faster on two cores: smaller batches,
// and contacts or users shared across lanes still made one wait for the other.) When the apply
// fails (a bad event, a row held elsewhere past apply_lock_timeout), it alone rolls back: the
// batch stays stored and its new events go to the conversation registry, which applies them
// with retries.
caf::actor spawn_webhook_intake_actor(caf::actor_system& system, webhook_intake_options options,
                                      webhook_metrics& metrics);

}  // namespace crmd
