#pragma once

#include <array>
#include <chrono>
#include <cstdint>

// Failed and total provider calls over the last 15 minutes, for the sync health's error ratio.
// Counted in one-minute slots, so the window slides by whole minutes: a call is forgotten 14 to
// 15 minutes after it was recorded. Time is passed in; nothing here reads a clock.
namespace crmd::domain {

struct error_counts {
  std::int64_t total = 0;
  std::int64_t failed = 0;

  // failed / total; 0 when there were no calls.
  double ratio() const { return total == 0 ? 0.0 : static_cast<double>(failed) / total; }
};

class error_window {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::minutes span{15};

  void record(time_point now, bool failed);
  error_counts counts(time_point now) const;

 private:
  struct slot {
    std::int64_t minute = -1;  // minutes since the clock's epoch this slot counts
    error_counts counts;
  };
  std::array<slot, 15> slots_{};
};

}  // namespace crmd::domain
