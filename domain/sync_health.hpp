#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace crmd::domain {

enum class circuit_state { closed, open, half_open };

struct sync_facts {
  std::optional<std::chrono::system_clock::time_point> last_webhook_at;
  std::int64_t failed_events = 0;  // still retrying
  std::int64_t dead_events = 0;    // gave up: need a person
  circuit_state circuit = circuit_state::closed;
};

struct sync_verdict {
  std::string status;  // green, amber, red
  std::string reason;  // one sentence for the header's tooltip
};

// Red when something is lost until a person acts (dead events) or OpenPhone is unreachable (circuit
// open); amber when it is still healing (failed events retrying, circuit probing) or webhooks have
// been silent longer than `quiet_limit`; green otherwise.
sync_verdict judge_sync(const sync_facts& facts, std::chrono::system_clock::time_point now,
                        std::chrono::minutes quiet_limit);

const char* to_string(circuit_state state);

}  // namespace crmd::domain
