#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

// Samples another process's resident set (VmRSS in /proc/<pid>/status) while a load runs: once
// at the start, every interval, and once more at the end.
namespace crmd::openphone_emulator {

// The VmRSS value in kB from the text of /proc/<pid>/status.
std::optional<long> parse_vm_rss_kb(std::string_view status_text);

std::optional<long> read_vm_rss_kb(int pid);

struct rss_sample {
  double at_s = 0;  // since start()
  long kb = 0;
};

class rss_sampler {
 public:
  rss_sampler(int pid, std::chrono::milliseconds interval);
  ~rss_sampler();
  rss_sampler(const rss_sampler&) = delete;
  rss_sampler& operator=(const rss_sampler&) = delete;

  void start();
  void stop();  // takes the final sample; idempotent

  std::vector<rss_sample> samples() const;

 private:
  void take_sample();

  int pid_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<rss_sample> samples_;
  std::thread thread_;
};

}  // namespace crmd::openphone_emulator
