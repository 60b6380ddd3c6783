#pragma once

#include <cstdint>

namespace prometheus {
class Counter;
class Gauge;
class Registry;
}  // namespace prometheus

namespace crmd {

// The crmd_reconcile_* metrics (issue 8's pinned names). Made once per process, at start-up, so
// every series is in /metrics before the first run; a restarted reconciler keeps using them.
class reconcile_metrics {
 public:
  explicit reconcile_metrics(prometheus::Registry& registry);

  void running(bool on);
  // A run ended: its outcome, the gaps it found and the events it re-drove.
  void finished(bool completed, std::int64_t messages_found, std::int64_t calls_found,
                std::int64_t events_redriven, std::int64_t unix_seconds);
  // When the last completed run ended (from the database at start-up; 0: never).
  void last_success(std::int64_t unix_seconds);

 private:
  prometheus::Counter* completed_;
  prometheus::Counter* failed_;
  prometheus::Counter* messages_found_;
  prometheus::Counter* calls_found_;
  prometheus::Counter* redriven_;
  prometheus::Gauge* running_;
  prometheus::Gauge* last_success_;
};

}  // namespace crmd
