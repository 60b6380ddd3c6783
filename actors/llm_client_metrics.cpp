#include "actors/llm_client_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace crmd {

namespace {

// A short completion takes a few hundred milliseconds; a busy provider takes seconds, up to the
// request timeout (10 s by default).
const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{0.1, 0.25, 0.5, 1,  2,
                                                               3,   5,    10,  20, 30};
  return buckets;
}

}  // namespace

llm_metrics::llm_metrics(prometheus::Registry& registry)
    : requests_(&prometheus::BuildCounter()
                   .Name("crmd_llm_requests_total")
                   .Help("Attempts sent to the LLM API, by HTTP status or transport error")
                   .Register(registry)),
      duration_(&prometheus::BuildHistogram()
                   .Name("crmd_llm_request_duration_seconds")
                   .Help("Duration of one LLM API attempt, from sending to the last response "
                         "byte")
                   .Register(registry)
                   .Add({}, duration_buckets())),
      retries_(&prometheus::BuildCounter()
                  .Name("crmd_llm_retries_total")
                  .Help("LLM API retries scheduled after a retryable failure")
                  .Register(registry)
                  .Add({})),
      classifications_(&prometheus::BuildCounter()
                          .Name("crmd_llm_classifications_total")
                          .Help("Reply classifications answered, by verdict, or failed")
                          .Register(registry)) {}

void llm_metrics::attempt(const std::string& status, std::chrono::nanoseconds took) {
  requests_->Add({{"status", status}}).Increment();
  duration_->Observe(std::chrono::duration<double>(took).count());
}

void llm_metrics::retry() {
  retries_->Increment();
}

void llm_metrics::outcome(const std::string& result) {
  classifications_->Add({{"result", result}}).Increment();
}

}  // namespace crmd
