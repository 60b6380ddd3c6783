#pragma once

#include <chrono>

// The login throttle as a pure rule. The counts come from login_attempts (durable and shared by
// every crmd), so a restart or a second process does not reset them.
namespace crmd::auth {

struct throttle_limits {
  int per_account = 5;
  int per_address = 20;
  std::chrono::seconds window{15 * 60};
};

// The most recent failures of one scope inside the window, counted up to its limit, and the age
// of the oldest of those: when it leaves the window, the scope is below its limit again.
struct failure_window {
  int count = 0;
  std::chrono::seconds oldest_age{0};
};

struct throttle_decision {
  bool allowed = true;
  std::chrono::seconds retry_after{0};  // when refused: at least 1
};

// Refused once either scope has reached its limit; retry_after is when both are below it again.
throttle_decision decide_login(failure_window account, failure_window address,
                               const throttle_limits& limits);

}  // namespace crmd::auth
