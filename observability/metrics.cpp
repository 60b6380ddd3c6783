#include "observability/metrics.hpp"

#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

namespace crmd::observability {

metrics::metrics(build_facts facts) : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::BuildGauge()
    .Name("crmd_build_info")
    .Help("Build facts of the running crmd; the value is always 1")
    .Register(*registry_)
    .Add({{"version", facts.version},
          {"compiler", facts.compiler},
          {"build_type", facts.build_type}})
    .Set(1);
  add_collectable(make_process_collector());
}

void metrics::add_collectable(std::shared_ptr<prometheus::Collectable> source) {
  sources_.push_back(std::move(source));
}

std::string metrics::scrape() const {
  auto families = registry_->Collect();
  for (const auto& source : sources_) {
    auto more = source->Collect();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace crmd::observability
