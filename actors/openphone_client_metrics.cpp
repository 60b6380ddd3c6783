#include "actors/openphone_client_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace crmd {

namespace {

double seconds(std::chrono::nanoseconds duration) {
  return std::chrono::duration<double>(duration).count();
}

// Provider calls take tens of milliseconds when healthy and up to the request timeout (15 s by
// default) when not.
const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{0.025, 0.05, 0.1, 0.25, 0.5,
                                                               1,     2.5,  5,   10,   30};
  return buckets;
}

}  // namespace

provider_metrics::provider_metrics(prometheus::Registry& registry, std::string provider)
    : provider_(std::move(provider)),
      requests_(&prometheus::BuildCounter()
                   .Name("crmd_provider_requests_total")
                   .Help("Attempts sent to a provider, by endpoint and HTTP status or transport "
                         "error")
                   .Register(registry)),
      durations_(&prometheus::BuildHistogram()
                    .Name("crmd_provider_request_duration_seconds")
                    .Help("Duration of one attempt, from sending to the last response byte")
                    .Register(registry)),
      retries_(&prometheus::BuildCounter()
                  .Name("crmd_provider_retries_total")
                  .Help("Retries scheduled after a retryable failure")
                  .Register(registry)),
      circuit_open_(&prometheus::BuildGauge()
                       .Name("crmd_provider_circuit_open")
                       .Help("1 while the provider's circuit breaker is not closed")
                       .Register(registry)
                       .Add({{"provider", provider_}})),
      queue_depth_(&prometheus::BuildGauge()
                      .Name("crmd_provider_queue_depth")
                      .Help("Calls waiting for a rate-limit token")
                      .Register(registry)
                      .Add({{"provider", provider_}})),
      throttle_wait_(&prometheus::BuildCounter()
                        .Name("crmd_provider_throttle_wait_seconds_total")
                        .Help("Time calls spent queued for a rate-limit token")
                        .Register(registry)
                        .Add({{"provider", provider_}})) {}

void provider_metrics::attempt(const std::string& endpoint, const std::string& status,
                               std::chrono::nanoseconds took) {
  requests_->Add({{"provider", provider_}, {"endpoint", endpoint}, {"status", status}})
    .Increment();
  durations_->Add({{"provider", provider_}, {"endpoint", endpoint}}, duration_buckets())
    .Observe(seconds(took));
}

void provider_metrics::retry(const std::string& endpoint) {
  retries_->Add({{"provider", provider_}, {"endpoint", endpoint}}).Increment();
}

void provider_metrics::circuit_open(bool open) {
  circuit_open_->Set(open ? 1 : 0);
}

void provider_metrics::queue_depth(std::size_t depth) {
  queue_depth_->Set(static_cast<double>(depth));
}

void provider_metrics::throttled(std::chrono::nanoseconds waited) {
  throttle_wait_->Increment(seconds(waited));
}

}  // namespace crmd
