#pragma once

#include "storage/pg_types.hpp"

#include <array>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
}  // namespace prometheus

// Internal to pg_pool: its metric families. Gauges move by increments, so pools that share a
// registry add up instead of overwriting each other.
namespace crmd::storage::detail {

// `off` is a connection slot not started or already closed; it counts in no gauge.
enum class slot_state { off, connecting, idle, busy, broken };

class pool_metrics {
 public:
  explicit pool_metrics(prometheus::Registry& registry);

  void connection_moved(slot_state from, slot_state to);
  void waiting_moved(double delta);
  void count(const pg_outcome& outcome);
  void observe_duration(double seconds);
  void reconnect();

 private:
  std::array<prometheus::Gauge*, 5> connections_{};  // by slot_state; [off] stays null
  prometheus::Gauge* waiting_ = nullptr;
  std::array<prometheus::Counter*, 5> batches_{};
  prometheus::Histogram* duration_ = nullptr;
  prometheus::Counter* reconnects_ = nullptr;
};

}  // namespace crmd::storage::detail
