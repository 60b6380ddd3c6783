#include "tools/openphone-emulator/rss_sampler.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace crmd::openphone_emulator {

std::optional<long> parse_vm_rss_kb(std::string_view status_text) {
  constexpr std::string_view key = "VmRSS:";
  auto at = status_text.find(key);
  // Only at the start of a line: no other field ends in "VmRSS:", but the rule costs nothing.
  while (at != std::string_view::npos && at != 0 && status_text[at - 1] != '\n')
    at = status_text.find(key, at + 1);
  if (at == std::string_view::npos)
    return std::nullopt;
  auto rest = status_text.substr(at + key.size());
  auto digits = rest.find_first_not_of(" \t");
  if (digits == std::string_view::npos)
    return std::nullopt;
  long kb = 0;
  auto [end, ec] = std::from_chars(rest.data() + digits, rest.data() + rest.size(), kb);
  if (ec != std::errc() || end == rest.data() + digits)
    return std::nullopt;
  return kb;
}

std::optional<long> read_vm_rss_kb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in)
    return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return parse_vm_rss_kb(text.str());
}

rss_sampler::rss_sampler(int pid, std::chrono::milliseconds interval)
    : pid_(pid), interval_(interval) {}

rss_sampler::~rss_sampler() {
  stop();
}

void rss_sampler::start() {
  started_ = std::chrono::steady_clock::now();
  take_sample();
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      take_sample();
      lock.lock();
    }
  });
}

void rss_sampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !thread_.joinable())
      return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  take_sample();
}

std::vector<rss_sample> rss_sampler::samples() const {
  std::lock_guard lock(mutex_);
  return samples_;
}

void rss_sampler::take_sample() {
  // A process that has exited simply stops contributing samples.
  auto kb = read_vm_rss_kb(pid_);
  if (!kb)
    return;
  double at = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::lock_guard lock(mutex_);
  samples_.push_back({at, *kb});
}

}  // namespace crmd::openphone_emulator
