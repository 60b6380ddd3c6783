#pragma once

#include "actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>

namespace crmd {

struct webhook_metrics;

struct webhook_intake_options {
  std::size_t max_batch = 256;         // events per transaction
  int max_inflight = 2;                // transactions at once
  std::size_t max_pending = 20000;     // beyond this, deliveries get 503 overloaded
  std::chrono::milliseconds db_timeout{30000};
};

// Durable intake with group commit. Deliveries queue while a transaction is in flight and go
// into the next one, so at low load each is committed at once and under load many share one
// fsync. Every delivery is answered only after its transaction committed (stored / duplicate /
// stored_not_understood) or failed (unavailable). New understood events then go to the
// conversation registry for applying.
caf::actor spawn_webhook_intake_actor(caf::actor_system& system, webhook_intake_options options,
                                      webhook_metrics& metrics);

}  // namespace crmd
