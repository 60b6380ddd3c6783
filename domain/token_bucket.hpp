#pragma once

#include <chrono>

// A pure token bucket for pacing calls to a provider. It never sleeps: given the time it says
// whether a token can be taken now, or how long until one can. Implemented as GCRA (a virtual
// "next free slot" time in integer nanoseconds), so repeated waits land exactly on the slot
// instead of drifting through floating-point token counts.
namespace crmd::domain {

class token_bucket {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  using duration = std::chrono::nanoseconds;

  // `rate_per_second` tokens are added per second up to `burst` (at least 1, so one call can
  // always go out). The bucket starts full. A non-positive rate is treated as one per hour,
  // never as "unlimited".
  token_bucket(double rate_per_second, double burst);

  // Zero when a token is available at `now`, else the wait until one will be.
  duration wait_time(time_point now) const;

  // Takes a token if one is available at `now`; false (nothing taken) otherwise.
  bool try_take(time_point now);

  // No token becomes available before `until` (a provider's Retry-After applies to every
  // caller sharing the key, not only to the request that received it).
  void defer_until(time_point until);

 private:
  duration interval_;   // time per token
  duration tolerance_;  // (burst - 1) * interval: how far ahead of the slot a call may go
  time_point next_slot_{};
};

}  // namespace crmd::domain
