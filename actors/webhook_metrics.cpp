#include "actors/webhook_metrics.hpp"

#include <array>

namespace crmd {

namespace {

prometheus::Histogram::BucketBoundaries batch_buckets() {
  return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
}

prometheus::Histogram::BucketBoundaries commit_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
}

prometheus::Histogram::BucketBoundaries lag_buckets() {
  return {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800};
}

// Every answer the webhook route gives and every outcome of an apply attempt: exported at 0 from
// start-up, so rates and alerts over them have a series before the first such event.
constexpr std::array<std::string_view, webhook_metrics::delivery_outcome_count> delivery_outcomes{
  "stored", "duplicate", "not_understood", "overloaded",
  "unavailable", "too_large", "bad_signature", "invalid_json"};
constexpr std::array<std::string_view, webhook_metrics::apply_outcome_count> apply_outcomes{
  "processed", "deferred", "retry_scheduled", "dead", "handed_on"};

// The counter of a known outcome from `cache`, else the family's (locked, hashed) lookup.
template <std::size_t N>
prometheus::Counter& counter_for(std::string_view outcome,
                                 const std::array<std::string_view, N>& outcomes,
                                 const std::array<prometheus::Counter*, N>& cache,
                                 prometheus::Family<prometheus::Counter>& family) {
  for (std::size_t i = 0; i < N; ++i) {
    if (outcomes[i] == outcome)
      return *cache[i];
  }
  return family.Add({{"outcome", std::string(outcome)}});
}

}  // namespace

webhook_metrics::webhook_metrics(prometheus::Registry& registry)
  : ingest_batch_size(prometheus::BuildHistogram()
                        .Name("crmd_webhook_ingest_batch_events")
                        .Help("Webhook events stored per group-commit transaction")
                        .Register(registry)
                        .Add({}, batch_buckets())),
    ingest_commit_seconds(prometheus::BuildHistogram()
                            .Name("crmd_webhook_ingest_commit_seconds")
                            .Help("Time to store and apply one group of webhook events")
                            .Register(registry)
                            .Add({}, commit_buckets())),
    apply_lag_seconds(prometheus::BuildHistogram()
                        .Name("crmd_webhook_apply_lag_seconds")
                        .Help("From storing a webhook event (its acknowledgement) to applying it")
                        .Register(registry)
                        .Add({}, lag_buckets())),
    conversation_actors(prometheus::BuildGauge()
                          .Name("crmd_conversation_actors")
                          .Help("Conversation actors currently alive")
                          .Register(registry)
                          .Add({})),
    conversation_actor_restarts(prometheus::BuildCounter()
                                  .Name("crmd_conversation_actor_restarts_total")
                                  .Help("Conversation actors respawned after terminating abnormally")
                                  .Register(registry)
                                  .Add({})),
    deliveries_(prometheus::BuildCounter()
                  .Name("crmd_webhook_deliveries_total")
                  .Help("OpenPhone webhook deliveries by the answer they got")
                  .Register(registry)),
    not_understood_(prometheus::BuildCounter()
                      .Name("crmd_webhook_not_understood_total")
                      .Help("Signed deliveries stored as failed because they were not understood")
                      .Register(registry)),
    applied_(prometheus::BuildCounter()
               .Name("crmd_webhook_apply_total")
               .Help("Attempts to apply stored webhook events, by outcome")
               .Register(registry)) {
  for (std::size_t i = 0; i < delivery_outcomes.size(); ++i)
    delivery_counters_[i] = &deliveries_.Add({{"outcome", std::string(delivery_outcomes[i])}});
  for (std::size_t i = 0; i < apply_outcomes.size(); ++i)
    applied_counters_[i] = &applied_.Add({{"outcome", std::string(apply_outcomes[i])}});
}

prometheus::Counter& webhook_metrics::delivery(std::string_view outcome) {
  return counter_for(outcome, delivery_outcomes, delivery_counters_, deliveries_);
}

prometheus::Counter& webhook_metrics::not_understood(const std::string& reason) {
  return not_understood_.Add({{"reason", reason}});
}

prometheus::Counter& webhook_metrics::applied(std::string_view outcome) {
  return counter_for(outcome, apply_outcomes, applied_counters_, applied_);
}

}  // namespace crmd
