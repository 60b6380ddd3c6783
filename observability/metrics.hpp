#pragma once

#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

// The process-wide metric registry and its text exposition. prometheus-cpp's registry is
// thread-safe; components receive it explicitly rather than through a global.
namespace crmd::observability {

struct build_facts {
  std::string version;
  std::string compiler;
  std::string build_type;
};

class metrics {
 public:
  explicit metrics(build_facts facts);

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() const { return registry_; }

  // Adds a collectable that is sampled on every scrape (for values read on demand).
  void add_collectable(std::shared_ptr<prometheus::Collectable> source);

  // Prometheus text format 0.0.4 of every registered metric.
  std::string scrape() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<std::shared_ptr<prometheus::Collectable>> sources_;
};

// Samples RSS, open file descriptors, CPU seconds, start time and uptime from /proc on each scrape.
std::shared_ptr<prometheus::Collectable> make_process_collector();

}  // namespace crmd::observability
