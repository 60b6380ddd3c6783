#include "domain/sync_health.hpp"

namespace crmd::domain {

namespace {

std::string plural(std::int64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

}  // namespace

sync_verdict judge_sync(const sync_facts& facts, std::chrono::system_clock::time_point now,
                        std::chrono::minutes quiet_limit) {
  if (facts.dead_events > 0)
    return {"red", plural(facts.dead_events, "webhook event") + " could not be applied"};
  if (facts.circuit == circuit_state::open)
    return {"red", "OpenPhone's API is failing; calls to it are paused"};
  if (facts.failed_events > 0)
    return {"amber", plural(facts.failed_events, "webhook event") + " failed and will be retried"};
  if (facts.circuit == circuit_state::half_open)
    return {"amber", "OpenPhone's API is recovering"};
  if (!facts.last_webhook_at)
    return {"amber", "no webhook from OpenPhone has arrived yet"};
  auto silent = std::chrono::duration_cast<std::chrono::minutes>(now - *facts.last_webhook_at);
  if (silent > quiet_limit)
    return {"amber", "no webhook from OpenPhone for " + std::to_string(silent.count() / 60)
                       + " h " + std::to_string(silent.count() % 60) + " min"};
  return {"green", "in sync"};
}

const char* to_string(circuit_state state) {
  switch (state) {
    case circuit_state::closed:
      return "closed";
    case circuit_state::open:
      return "open";
    case circuit_state::half_open:
      return "half_open";
  }
  return "closed";
}

}  // namespace crmd::domain
