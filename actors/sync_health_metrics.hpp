#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <set>
#include <string>

namespace crmd {

// The crmd_sync_* gauges and crmd_provider_error_ratio, registered once per process at start-up
// (so they are scraped before the first check) and set by the sync health actor; a restarted
// actor finds the same series. Gauges are thread-safe; the number set is the actor's alone.
class sync_health_metrics {
 public:
  explicit sync_health_metrics(prometheus::Registry& registry);

  // `phone_number` is an E.164 number or "all" (the integration as a whole).
  void health(const std::string& phone_number, int severity);
  void silence(const std::string& phone_number, double business_seconds);
  void events(std::int64_t failed, std::int64_t dead);
  void provider_error_ratio(double ratio);
  // Drops the series of numbers no longer among ours.
  void keep_numbers(const std::set<std::string>& phone_numbers);

 private:
  prometheus::Family<prometheus::Gauge>& health_;
  prometheus::Family<prometheus::Gauge>& silence_;
  prometheus::Gauge& failed_;
  prometheus::Gauge& dead_;
  prometheus::Gauge& error_ratio_;
  std::set<std::string> numbers_;  // numbers with series, "all" excluded
};

}  // namespace crmd
