#include "domain/backoff.hpp"

#include <algorithm>

namespace crmd::domain {

std::chrono::milliseconds exponential_delay(int failures, std::chrono::milliseconds min,
                                            std::chrono::milliseconds max) {
  if (failures < 1)
    failures = 1;
  auto delay = min;
  for (int i = 1; i < failures && delay < max; ++i)
    delay *= 2;
  return std::min(delay, max);
}

std::chrono::milliseconds full_jitter_delay(int failures, std::chrono::milliseconds min,
                                            std::chrono::milliseconds max, double unit_random) {
  auto cap = exponential_delay(failures, min, max);
  double fraction = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds{static_cast<long>(static_cast<double>(cap.count()) * fraction)};
}

int failures_after_crash(int previous_failures, std::chrono::milliseconds ran_for,
                         std::chrono::milliseconds stable_after) {
  return ran_for >= stable_after ? 1 : previous_failures + 1;
}

}  // namespace crmd::domain
