#include "observability/metrics.hpp"

#include <gtest/gtest.h>
#include <prometheus/counter.h>

namespace crmd::observability {
namespace {

TEST(Metrics, ScrapeHasBuildInfoProcessGaugesAndRegisteredMetrics) {
  metrics m({"1.2.3", "GNU-12", "Release"});
  prometheus::BuildCounter()
    .Name("crmd_test_events_total")
    .Help("test")
    .Register(m.registry())
    .Add({})
    .Increment(3);
  auto text = m.scrape();
  EXPECT_NE(text.find("crmd_build_info{"), std::string::npos);
  EXPECT_NE(text.find("version=\"1.2.3\""), std::string::npos);
  EXPECT_NE(text.find("crmd_test_events_total 3"), std::string::npos);
  EXPECT_NE(text.find("# TYPE crmd_process_resident_memory_bytes gauge"), std::string::npos);
  EXPECT_NE(text.find("crmd_process_open_fds"), std::string::npos);
  EXPECT_NE(text.find("# TYPE crmd_process_cpu_seconds_total counter"), std::string::npos);
  EXPECT_NE(text.find("crmd_process_uptime_seconds"), std::string::npos);
}

TEST(Metrics, ResidentMemoryIsPlausible) {
  metrics m({"v", "c", "t"});
  auto text = m.scrape();
  auto at = text.find("\ncrmd_process_resident_memory_bytes ");
  ASSERT_NE(at, std::string::npos);
  double rss = std::stod(text.substr(at + 36));
  EXPECT_GT(rss, 1024.0 * 1024.0);
}

}  // namespace
}  // namespace crmd::observability
