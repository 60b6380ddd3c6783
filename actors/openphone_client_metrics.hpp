#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace crmd {

// The crmd_provider_* metrics of one provider client. Families are registered once per
// registry (a restarted actor finds the same series); methods are cheap enough per request.
class provider_metrics {
 public:
  provider_metrics(prometheus::Registry& registry, std::string provider);

  // One attempt: `status` is the HTTP status or the transport error code.
  void attempt(const std::string& endpoint, const std::string& status,
               std::chrono::nanoseconds took);
  void retry(const std::string& endpoint);
  void circuit_open(bool open);
  void queue_depth(std::size_t depth);
  void throttled(std::chrono::nanoseconds waited);

 private:
  std::string provider_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* durations_;
  prometheus::Family<prometheus::Counter>* retries_;
  prometheus::Gauge* circuit_open_;
  prometheus::Gauge* queue_depth_;
  prometheus::Counter* throttle_wait_;
};

}  // namespace crmd
