#pragma once

#include <caf/fwd.hpp>

#include <chrono>

namespace crmd {

struct sync_health_options {
  std::chrono::minutes webhook_quiet{360};  // CRM_SYNC_WEBHOOK_QUIET_MS
  std::chrono::milliseconds interval{15000};
  std::chrono::milliseconds db_timeout{10000};
};

// Watches sync health (domain::judge_sync over the webhook inbox and the OpenPhone client's
// circuit breaker). Every interval, and when asked with (get_atom) — answered with the health
// JSON text — it checks afresh; a verdict that differs from the last one is published on the
// hub topic `sync` as a `sync.health` event.
caf::actor spawn_sync_health_actor(caf::actor_system& system, sync_health_options options);

}  // namespace crmd
