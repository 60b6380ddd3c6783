#pragma once

#include <chrono>

// A pure circuit breaker for one provider. Closed: calls go out and consecutive failures are
// counted. After `failure_threshold` of them it opens: calls fail fast for `cooldown`. Then it is
// half-open: exactly one probe may go out; its success closes the breaker, its failure opens it
// for another cooldown. Time is passed in; nothing here sleeps or reads a clock.
namespace crmd::domain {

class circuit_breaker {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  enum class state { closed, open, half_open };

  // A threshold below 1 is treated as 1.
  circuit_breaker(int failure_threshold, std::chrono::milliseconds cooldown);

  // Whether a call may go out at `now`. In half-open this hands out the single probe: a true
  // answer there means the caller must report that call's outcome.
  bool allow(time_point now);

  void record_success();
  void record_failure(time_point now);

  // The state as of `now` (an open breaker whose cooldown has passed reads half-open).
  state current(time_point now) const;

 private:
  int threshold_;
  std::chrono::milliseconds cooldown_;
  int consecutive_failures_ = 0;
  bool open_ = false;
  bool probe_in_flight_ = false;
  time_point opened_at_{};
};

}  // namespace crmd::domain
