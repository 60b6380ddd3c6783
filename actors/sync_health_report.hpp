#pragma once

#include "domain/business_hours.hpp"
#include "domain/sync_health.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace crmd {

using sync_time = std::chrono::system_clock::time_point;

// A webhook arrival as an instant and as the API shows it (ISO-8601 UTC).
struct webhook_seen {
  sync_time at;
  std::string iso;
};

struct sync_number_input {
  std::string phone_number;
  std::optional<std::string> name;
  sync_time known_since;  // when crmd first knew the number
  std::optional<webhook_seen> last_webhook;
};

struct sync_import_input {
  std::int64_t id = 0;
  std::string status;
  std::optional<std::string> finished_at;
};

struct sync_reconcile_input {
  std::int64_t id = 0;
  std::string status;
  std::optional<std::string> finished_at;
  std::int64_t missing_found = 0;
  std::int64_t still_failing = 0;
};

// Everything one check gathered, before any judgement.
struct sync_health_input {
  std::optional<webhook_seen> last_webhook;
  sync_time watching_since;  // silence before any webhook is counted from here
  std::int64_t failed_events = 0;
  std::int64_t dead_events = 0;
  domain::circuit_state circuit = domain::circuit_state::closed;
  double error_ratio = 0;
  std::int64_t provider_calls = 0;
  std::optional<sync_import_input> import;              // newest history import
  std::optional<sync_reconcile_input> reconcile;        // newest reconciliation (shown)
  std::optional<sync_reconcile_input> last_finished;    // newest finished one (judged)
  std::vector<sync_number_input> numbers;
};

struct sync_health_rules {
  std::chrono::milliseconds quiet_limit;
  domain::business_hours hours;
  const date::time_zone* zone;
};

// The judged health of one check: the GET /api/v1/sync/health JSON (see the issue 8 contract),
// with the figures the gauges need beside it.
struct sync_health_report {
  nlohmann::json body;
  int severity = 0;  // of the overall verdict
  std::chrono::seconds silence{0};
  struct number {
    std::string phone_number;
    int severity = 0;
    std::chrono::seconds silence{0};
  };
  std::vector<number> numbers;
  // Status and reason of the overall verdict and of every number: what a change is judged on.
  std::string signature;
};

sync_health_report judge_health(const sync_health_input& input, const sync_health_rules& rules,
                                sync_time now);

}  // namespace crmd
