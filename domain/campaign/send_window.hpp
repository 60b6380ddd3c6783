#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

// Per sending number: at most `per_minute` texts in any 60 s and `per_day` in any 24 h (both
// sliding, so a burst at 23:59 cannot be followed by another at 00:00). The provider's own token
// bucket paces the calls; this keeps a campaign inside the business's chosen volume.
namespace crmd::domain::campaign {

struct send_limits {
  std::uint32_t per_minute;
  std::uint32_t per_day;
};

class send_window {
 public:
  using time_point = std::chrono::system_clock::time_point;

  struct decision {
    bool allowed;
    time_point next;  // `now` when allowed, else the earliest instant a send may go
  };

  // Limits below 1 are treated as 1: configuration rejects them, and "never" is not a rate.
  explicit send_window(send_limits limits);

  // O(log n) in the sends of the last 24 h.
  decision decide(time_point now) const;

  // Records a send; amortised O(1). Call in time order (a restart replays the day's sends from
  // the database sorted by sent_at); an earlier instant is recorded as the latest one.
  void record(time_point sent);

 private:
  send_limits limits_;
  std::deque<time_point> sends_;  // sorted, the last 24 h as of the latest record
};

}  // namespace crmd::domain::campaign
