#pragma once

#include "domain/business_hours.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <string>

namespace crmd {

class sync_health_metrics;

struct sync_health_options {
  // Webhooks silent longer than this, in business hours, are amber (CRM_SYNC_WEBHOOK_QUIET_MS).
  std::chrono::milliseconds webhook_quiet{6 * 3600 * 1000};
  std::chrono::milliseconds interval{15000};  // CRM_SYNC_HEALTH_INTERVAL_MS
  std::chrono::milliseconds db_timeout{10000};
  domain::business_hours business_hours;  // CRM_BUSINESS_HOURS
  std::string time_zone = "America/New_York";  // CRM_BUSINESS_TIME_ZONE, a known zone
  // The gauges, owned by the application (they outlive restarts); null: none are set.
  sync_health_metrics* metrics = nullptr;
};

// Watches sync health: domain::judge_sync over the webhook inbox (overall and per number of
// ours, silence counted in business hours), the newest history import and reconciliation, and
// the OpenPhone client's circuit and error ratio. Every interval, and when asked with (get_atom)
// — answered with the health JSON text, empty when the database did not answer — it checks
// afresh, sets the crmd_sync_* gauges and, when the overall verdict or any number's changed,
// publishes the health on the hub topic `sync` as a `sync.health` event.
caf::actor spawn_sync_health_actor(caf::actor_system& system, sync_health_options options);

}  // namespace crmd
