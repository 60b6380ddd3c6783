#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crmd::domain {

enum class circuit_state { closed, open, half_open };

// The newest history import (openphone_history job).
struct import_facts {
  std::int64_t id = 0;
  std::string status;  // pending, running, paused, completed, failed
};

// The newest finished reconciliation.
struct reconcile_facts {
  std::int64_t id = 0;
  std::string status;              // completed or failed
  std::int64_t missing_found = 0;  // messages + calls the record lacked
  std::int64_t still_failing = 0;  // webhook events its re-drive could not apply
};

// Provider calls failing at least this share of the time (over at least this many calls in the
// last 15 minutes) turn health amber before the breaker opens; fewer calls say too little.
inline constexpr double provider_error_ratio_amber = 0.25;
inline constexpr std::int64_t provider_error_min_calls = 5;

struct sync_facts {
  std::optional<std::chrono::system_clock::time_point> last_webhook_at;
  // Business-hours time since the last webhook (or, before any, since health was first watched).
  std::chrono::seconds silence{0};
  std::int64_t failed_events = 0;  // still retrying
  std::int64_t dead_events = 0;    // gave up: need a person
  circuit_state circuit = circuit_state::closed;
  double error_ratio = 0;           // failed / all provider calls, last 15 minutes
  std::int64_t provider_calls = 0;  // all provider calls, last 15 minutes
  std::optional<import_facts> import;
  std::optional<reconcile_facts> reconcile;
};

// One of our phone numbers: webhooks naming it (phoneNumberId, or the number among the parties).
struct number_facts {
  std::string phone_number;
  std::optional<std::chrono::system_clock::time_point> last_webhook_at;
  // Business-hours time since its last webhook (or, before any, since crmd knew the number).
  std::chrono::seconds silence{0};
};

struct sync_verdict {
  std::string status;  // green, amber, red
  std::string reason;  // one sentence for the header's tooltip
};

// The integration as a whole, the first finding in this order deciding:
// red: dead events (lost until a person acts); the circuit open (OpenPhone unreachable).
// amber: failed events retrying; the circuit probing; provider calls failing (see the ratio
// above); the latest history import failed; the latest finished reconciliation failed, or found
// items webhooks had missed (amber until a later run finds none: gaps mean webhooks were lost,
// and only a clean run shows they arrive again); no webhook ever; webhooks silent for longer
// than `quiet_limit` of business hours.
// green otherwise.
sync_verdict judge_sync(const sync_facts& facts, std::chrono::milliseconds quiet_limit);

// One number: amber when no webhook has named it yet or it has been silent for longer than
// `quiet_limit` of business hours; green otherwise. Shared troubles (dead events, the circuit)
// belong to the integration's verdict, not to every number.
sync_verdict judge_number(const number_facts& facts, std::chrono::milliseconds quiet_limit);

struct number_verdict {
  std::string phone_number;
  sync_verdict verdict;
};

// What the header shows: the integration's verdict, unless a number is worse; then the first
// worst number's, its reason prefixed with the number.
sync_verdict overall_verdict(const sync_verdict& integration,
                             const std::vector<number_verdict>& numbers);

// The gauge value of a status: 0 green, 1 amber, 2 red.
int severity(const std::string& status);

// "45 s", "7 h 5 min": a silence as the reason sentence shows it.
std::string describe_duration(std::chrono::seconds duration);

const char* to_string(circuit_state state);

}  // namespace crmd::domain
