#include "actors/sync_health_metrics.hpp"

namespace crmd {

namespace {

prometheus::Family<prometheus::Gauge>& events_family(prometheus::Registry& registry) {
  return prometheus::BuildGauge()
    .Name("crmd_sync_webhook_events")
    .Help("Webhook events needing attention now, by status (failed: retrying; dead: given up)")
    .Register(registry);
}

}  // namespace

sync_health_metrics::sync_health_metrics(prometheus::Registry& registry)
  : health_(prometheus::BuildGauge()
              .Name("crmd_sync_health")
              .Help("Sync health verdict: 0 green, 1 amber, 2 red (phone_number=\"all\": overall)")
              .Register(registry)),
    silence_(prometheus::BuildGauge()
               .Name("crmd_sync_webhook_silence_business_seconds")
               .Help("Business-hours seconds since the last webhook (phone_number=\"all\": any)")
               .Register(registry)),
    failed_(events_family(registry).Add({{"status", "failed"}})),
    dead_(events_family(registry).Add({{"status", "dead"}})),
    error_ratio_(prometheus::BuildGauge()
                   .Name("crmd_provider_error_ratio")
                   .Help("Failed / all provider call attempts over the last 15 minutes (0 when none)")
                   .Register(registry)
                   .Add({{"provider", "openphone"}})) {
  health("all", 0);
  silence("all", 0);
}

void sync_health_metrics::health(const std::string& phone_number, int severity) {
  if (phone_number != "all")
    numbers_.insert(phone_number);
  health_.Add({{"integration", "openphone"}, {"phone_number", phone_number}}).Set(severity);
}

void sync_health_metrics::silence(const std::string& phone_number, double business_seconds) {
  if (phone_number != "all")
    numbers_.insert(phone_number);
  silence_.Add({{"phone_number", phone_number}}).Set(business_seconds);
}

void sync_health_metrics::events(std::int64_t failed, std::int64_t dead) {
  failed_.Set(static_cast<double>(failed));
  dead_.Set(static_cast<double>(dead));
}

void sync_health_metrics::provider_error_ratio(double ratio) {
  error_ratio_.Set(ratio);
}

void sync_health_metrics::keep_numbers(const std::set<std::string>& phone_numbers) {
  for (auto it = numbers_.begin(); it != numbers_.end();) {
    if (phone_numbers.contains(*it)) {
      ++it;
      continue;
    }
    health_.Remove(&health_.Add({{"integration", "openphone"}, {"phone_number", *it}}));
    silence_.Remove(&silence_.Add({{"phone_number", *it}}));
    it = numbers_.erase(it);
  }
}

}  // namespace crmd
