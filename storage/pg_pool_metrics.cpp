#include "storage/pg_pool_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string_view>

namespace crmd::storage::detail {

namespace {

constexpr std::array<const char*, 5> state_labels = {nullptr, "connecting", "idle", "busy",
                                                     "broken"};
constexpr std::array<const char*, 5> outcome_labels = {"ok", "query_failed", "connection_lost",
                                                       "pool_timeout", "pool_stopped"};

}  // namespace

pool_metrics::pool_metrics(prometheus::Registry& registry) {
  auto& connections = prometheus::BuildGauge()
                        .Name("crmd_pg_pool_connections")
                        .Help("PostgreSQL pool connections by state")
                        .Register(registry);
  for (std::size_t i = 0; i < state_labels.size(); ++i)
    if (state_labels[i] != nullptr)
      connections_[i] = &connections.Add({{"state", state_labels[i]}});
  waiting_ = &prometheus::BuildGauge()
                .Name("crmd_pg_pool_waiting_batches")
                .Help("Batches queued for a free PostgreSQL connection")
                .Register(registry)
                .Add({});
  auto& batches = prometheus::BuildCounter()
                    .Name("crmd_pg_batches_total")
                    .Help("PostgreSQL batches completed, by outcome")
                    .Register(registry);
  for (std::size_t i = 0; i < outcome_labels.size(); ++i)
    batches_[i] = &batches.Add({{"outcome", outcome_labels[i]}});
  duration_ = &prometheus::BuildHistogram()
                 .Name("crmd_pg_batch_duration_seconds")
                 .Help("Time from sending a batch to its Sync result")
                 .Register(registry)
                 .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005,
                                                                  0.01, 0.025, 0.05, 0.1, 0.25,
                                                                  0.5, 1, 2.5, 5});
  reconnects_ = &prometheus::BuildCounter()
                   .Name("crmd_pg_reconnects_total")
                   .Help("PostgreSQL reconnect attempts after a failure")
                   .Register(registry)
                   .Add({});
}

void pool_metrics::connection_moved(slot_state from, slot_state to) {
  if (auto* gauge = connections_[static_cast<std::size_t>(from)])
    gauge->Decrement();
  if (auto* gauge = connections_[static_cast<std::size_t>(to)])
    gauge->Increment();
}

void pool_metrics::waiting_moved(double delta) {
  waiting_->Increment(delta);
}

void pool_metrics::count(const pg_outcome& outcome) {
  std::string_view code = outcome.error ? std::string_view(outcome.error->code) : "ok";
  for (std::size_t i = 0; i < outcome_labels.size(); ++i)
    if (code == outcome_labels[i])
      batches_[i]->Increment();
}

void pool_metrics::observe_duration(double seconds) {
  duration_->Observe(seconds);
}

void pool_metrics::reconnect() {
  reconnects_->Increment();
}

}  // namespace crmd::storage::detail
