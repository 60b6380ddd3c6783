#pragma once

#include <chrono>
#include <string>

namespace prometheus {
class Counter;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace crmd {

// The crmd_llm_* metrics. Families are registered once per registry (a restarted actor finds
// the same series).
class llm_metrics {
 public:
  explicit llm_metrics(prometheus::Registry& registry);

  // One HTTP attempt: `status` is the HTTP status or the transport error code.
  void attempt(const std::string& status, std::chrono::nanoseconds took);
  void retry();
  // One finished call: "positive", "negative", "neutral" or "failed".
  void outcome(const std::string& result);

 private:
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Histogram* duration_;
  prometheus::Counter* retries_;
  prometheus::Family<prometheus::Counter>* classifications_;
};

}  // namespace crmd
