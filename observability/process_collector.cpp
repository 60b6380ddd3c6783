#include "observability/metrics.hpp"

#include <prometheus/metric_family.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace crmd::observability {

namespace {

prometheus::MetricFamily single_value(std::string name, std::string help,
                                      prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter)
    metric.counter.value = value;
  else
    metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
  return family;
}

prometheus::MetricFamily gauge_family(std::string name, std::string help, double value) {
  return single_value(std::move(name), std::move(help), prometheus::MetricType::Gauge, value);
}

prometheus::MetricFamily counter_family(std::string name, std::string help, double value) {
  return single_value(std::move(name), std::move(help), prometheus::MetricType::Counter, value);
}

double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0;
  long pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double open_fds() {
  std::error_code ec;
  double count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++count;
  return count;
}

double cpu_seconds() {
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  auto close = content.rfind(')');
  if (close == std::string::npos)
    return 0;
  std::istringstream rest(content.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  for (int index = 3; rest >> field; ++index) {
    if (index == 14)
      utime = std::stod(field);
    if (index == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

class process_collector : public prometheus::Collectable {
 public:
  process_collector()
    : started_steady_(std::chrono::steady_clock::now()),
      started_unix_(std::chrono::duration<double>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    double uptime = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                                  - started_steady_)
                      .count();
    return {
      gauge_family("crmd_process_resident_memory_bytes", "Resident set size of crmd",
                   resident_bytes()),
      gauge_family("crmd_process_open_fds", "Open file descriptors of crmd", open_fds()),
      counter_family("crmd_process_cpu_seconds_total", "User and system CPU time of crmd",
                     cpu_seconds()),
      gauge_family("crmd_process_start_time_seconds", "Start time of crmd since the Unix epoch",
                   started_unix_),
      gauge_family("crmd_process_uptime_seconds", "Seconds since crmd started", uptime),
    };
  }

 private:
  std::chrono::steady_clock::time_point started_steady_;
  double started_unix_;
};

}  // namespace

std::shared_ptr<prometheus::Collectable> make_process_collector() {
  return std::make_shared<process_collector>();
}

}  // namespace crmd::observability
