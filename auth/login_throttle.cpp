#include "auth/login_throttle.hpp"

#include <algorithm>

namespace crmd::auth {

namespace {

// Zero when the scope is below its limit.
std::chrono::seconds wait_for(failure_window scope, int limit, std::chrono::seconds window) {
  if (scope.count < limit)
    return std::chrono::seconds{0};
  return std::max(window - scope.oldest_age, std::chrono::seconds{1});
}

}  // namespace

throttle_decision decide_login(failure_window account, failure_window address,
                               const throttle_limits& limits) {
  auto wait = std::max(wait_for(account, limits.per_account, limits.window),
                       wait_for(address, limits.per_address, limits.window));
  return {.allowed = wait.count() == 0, .retry_after = wait};
}

}  // namespace crmd::auth
