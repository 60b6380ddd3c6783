#include "actors/reconciler_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace crmd {

reconcile_metrics::reconcile_metrics(prometheus::Registry& registry) {
  auto& runs = prometheus::BuildCounter()
                 .Name("crmd_reconcile_runs_total")
                 .Help("Reconciliations that ended, by outcome")
                 .Register(registry);
  completed_ = &runs.Add({{"outcome", "completed"}});
  failed_ = &runs.Add({{"outcome", "failed"}});
  auto& gaps = prometheus::BuildCounter()
                 .Name("crmd_reconcile_gaps_found_total")
                 .Help("Items OpenPhone had that the record lacked, found by reconciliations")
                 .Register(registry);
  messages_found_ = &gaps.Add({{"resource", "messages"}});
  calls_found_ = &gaps.Add({{"resource", "calls"}});
  redriven_ = &prometheus::BuildCounter()
                 .Name("crmd_reconcile_webhook_events_redriven_total")
                 .Help("Failed or dead webhook events reconciliations sent to be applied again")
                 .Register(registry)
                 .Add({});
  running_ = &prometheus::BuildGauge()
                .Name("crmd_reconcile_running")
                .Help("1 while a reconciliation runs in this process")
                .Register(registry)
                .Add({});
  last_success_ = &prometheus::BuildGauge()
                     .Name("crmd_reconcile_last_success_timestamp_seconds")
                     .Help("When the last completed reconciliation ended (unix seconds; 0: never)")
                     .Register(registry)
                     .Add({});
}

void reconcile_metrics::running(bool on) {
  running_->Set(on ? 1 : 0);
}

void reconcile_metrics::finished(bool completed, std::int64_t messages_found,
                                 std::int64_t calls_found, std::int64_t events_redriven,
                                 std::int64_t unix_seconds) {
  (completed ? completed_ : failed_)->Increment();
  messages_found_->Increment(static_cast<double>(messages_found));
  calls_found_->Increment(static_cast<double>(calls_found));
  redriven_->Increment(static_cast<double>(events_redriven));
  if (completed)
    last_success(unix_seconds);
}

void reconcile_metrics::last_success(std::int64_t unix_seconds) {
  if (static_cast<double>(unix_seconds) > last_success_->Value())
    last_success_->Set(static_cast<double>(unix_seconds));
}

}  // namespace crmd
