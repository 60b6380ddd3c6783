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
constexpr std::array<const char*, 8> delivery_outcomes{
  "stored", "duplicate", "not_understood", "overloaded",
  "unavailable", "too_large", "bad_signature", "invalid_json"};
constexpr std::array<const char*, 4> apply_outcomes{"processed", "deferred", "retry_scheduled",
                                                    "dead"};

}  // namespace

webhook_metrics::webhook_metrics(prometheus::Registry& registry)
  : ingest_batch_size(prometheus::BuildHistogram()
                        .Name("crmd_webhook_ingest_batch_events")
                        .Help("Webhook events stored per group-commit transaction")
                        .Register(registry)
                        .Add({}, batch_buckets())),
    ingest_commit_seconds(prometheus::BuildHistogram()
                            .Name("crmd_webhook_ingest_commit_seconds")
                            .Help("Time to commit one group of webhook events")
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
  for (const char* outcome : delivery_outcomes)
    delivery(outcome);
  for (const char* outcome : apply_outcomes)
    applied(outcome);
}

prometheus::Counter& webhook_metrics::delivery(const std::string& outcome) {
  return deliveries_.Add({{"outcome", outcome}});
}

prometheus::Counter& webhook_metrics::not_understood(const std::string& reason) {
  return not_understood_.Add({{"reason", reason}});
}

prometheus::Counter& webhook_metrics::applied(const std::string& outcome) {
  return applied_.Add({{"outcome", outcome}});
}

}  // namespace crmd
