#include "domain/circuit_breaker.hpp"

#include <algorithm>

namespace crmd::domain {

circuit_breaker::circuit_breaker(int failure_threshold, std::chrono::milliseconds cooldown)
    : threshold_(std::max(failure_threshold, 1)), cooldown_(cooldown) {}

circuit_breaker::state circuit_breaker::current(time_point now) const {
  if (!open_)
    return state::closed;
  return now - opened_at_ >= cooldown_ ? state::half_open : state::open;
}

bool circuit_breaker::allow(time_point now) {
  switch (current(now)) {
    case state::closed:
      return true;
    case state::open:
      return false;
    case state::half_open:
      if (probe_in_flight_)
        return false;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void circuit_breaker::record_success() {
  consecutive_failures_ = 0;
  open_ = false;
  probe_in_flight_ = false;
}

void circuit_breaker::record_failure(time_point now) {
  switch (current(now)) {
    case state::closed:
      if (++consecutive_failures_ >= threshold_) {
        open_ = true;
        opened_at_ = now;
      }
      return;
    case state::open:
      // The outcome of a call sent before the breaker opened: the cooldown already runs.
      return;
    case state::half_open:
      // Only the probe's failure restarts the cooldown; with no probe out, this is a late
      // outcome of an older call.
      if (probe_in_flight_) {
        probe_in_flight_ = false;
        opened_at_ = now;
      }
      return;
  }
}

}  // namespace crmd::domain
