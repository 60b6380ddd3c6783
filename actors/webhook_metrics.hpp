#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <string>
#include <string_view>

namespace crmd {

// The webhook path's metric families, registered once per process and shared by the intake,
// registry and conversation actors (prometheus-cpp metrics are thread-safe), so a restarted
// actor keeps counting into the same series.
struct webhook_metrics {
  explicit webhook_metrics(prometheus::Registry& registry);

  static constexpr std::size_t delivery_outcome_count = 8;
  static constexpr std::size_t apply_outcome_count = 5;

  // Final outcome of each delivery as the HTTP side answered it. The known outcomes' counters
  // are looked up once: these run once or twice per event.
  prometheus::Counter& delivery(std::string_view outcome);
  // Deliveries stored but not understood, by stable reason.
  prometheus::Counter& not_understood(const std::string& reason);
  // Apply attempts by outcome: processed, deferred, retry_scheduled, dead, and handed_on (the
  // intake's apply failed and the event went to its conversation actor).
  prometheus::Counter& applied(std::string_view outcome);

  prometheus::Histogram& ingest_batch_size;
  prometheus::Histogram& ingest_commit_seconds;
  // From a delivery's storing (its acknowledgement) to the commit of its apply, per event.
  prometheus::Histogram& apply_lag_seconds;
  prometheus::Gauge& conversation_actors;
  prometheus::Counter& conversation_actor_restarts;

 private:
  prometheus::Family<prometheus::Counter>& deliveries_;
  prometheus::Family<prometheus::Counter>& not_understood_;
  prometheus::Family<prometheus::Counter>& applied_;
  std::array<prometheus::Counter*, delivery_outcome_count> delivery_counters_{};
  std::array<prometheus::Counter*, apply_outcome_count> applied_counters_{};
};

}  // namespace crmd
