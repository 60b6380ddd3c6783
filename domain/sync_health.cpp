#include "domain/sync_health.hpp"

#include <cmath>

namespace crmd::domain {

namespace {

std::string plural(std::int64_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

bool too_quiet(std::chrono::seconds silence, std::chrono::milliseconds quiet_limit) {
  return silence > quiet_limit;
}

std::string silent_for(std::chrono::seconds silence) {
  return describe_duration(silence) + " of business hours";
}

}  // namespace

sync_verdict judge_sync(const sync_facts& facts, std::chrono::milliseconds quiet_limit) {
  if (facts.dead_events > 0)
    return {"red", plural(facts.dead_events, "webhook event") + " could not be applied"};
  if (facts.circuit == circuit_state::open)
    return {"red", "OpenPhone's API is failing; calls to it are paused"};
  if (facts.failed_events > 0)
    return {"amber", plural(facts.failed_events, "webhook event") + " failed and will be retried"};
  if (facts.circuit == circuit_state::half_open)
    return {"amber", "OpenPhone's API is recovering"};
  if (facts.provider_calls >= provider_error_min_calls
      && facts.error_ratio >= provider_error_ratio_amber)
    return {"amber", std::to_string(std::lround(facts.error_ratio * 100))
                       + "% of calls to OpenPhone's API failed in the last 15 minutes"};
  if (facts.import && facts.import->status == "failed")
    return {"amber", "the history import #" + std::to_string(facts.import->id) + " failed"};
  if (facts.reconcile && facts.reconcile->status == "failed")
    return {"amber", "the last reconciliation #" + std::to_string(facts.reconcile->id) + " failed"};
  if (facts.reconcile && facts.reconcile->missing_found > 0)
    return {"amber", "the last reconciliation #" + std::to_string(facts.reconcile->id) + " found "
                       + plural(facts.reconcile->missing_found, "item")
                       + " webhooks had missed"};
  if (!facts.last_webhook_at)
    return {"amber", "no webhook from OpenPhone has arrived yet"};
  if (too_quiet(facts.silence, quiet_limit))
    return {"amber", "no webhook from OpenPhone for " + silent_for(facts.silence)};
  return {"green", "in sync"};
}

sync_verdict judge_number(const number_facts& facts, std::chrono::milliseconds quiet_limit) {
  if (!facts.last_webhook_at)
    return {"amber", "no webhook for this number has arrived yet"};
  if (too_quiet(facts.silence, quiet_limit))
    return {"amber", "no webhook for this number for " + silent_for(facts.silence)};
  return {"green", "in sync"};
}

sync_verdict overall_verdict(const sync_verdict& integration,
                             const std::vector<number_verdict>& numbers) {
  const number_verdict* worst = nullptr;
  for (const auto& number : numbers)
    if (severity(number.verdict.status) > severity(integration.status)
        && (!worst || severity(number.verdict.status) > severity(worst->verdict.status)))
      worst = &number;
  if (!worst)
    return integration;
  return {worst->verdict.status, worst->phone_number + ": " + worst->verdict.reason};
}

int severity(const std::string& status) {
  if (status == "red")
    return 2;
  if (status == "amber")
    return 1;
  return 0;
}

std::string describe_duration(std::chrono::seconds duration) {
  auto seconds = duration.count();
  if (seconds < 60)
    return std::to_string(seconds) + " s";
  auto minutes = seconds / 60;
  return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
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
