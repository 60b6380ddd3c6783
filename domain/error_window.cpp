#include "domain/error_window.hpp"

namespace crmd::domain {

namespace {

std::int64_t minute_of(error_window::time_point now) {
  return std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
}

}  // namespace

void error_window::record(time_point now, bool failed) {
  auto minute = minute_of(now);
  auto& slot = slots_[static_cast<std::size_t>(((minute % 15) + 15) % 15)];
  if (slot.minute != minute)
    slot = {minute, {}};
  ++slot.counts.total;
  if (failed)
    ++slot.counts.failed;
}

error_counts error_window::counts(time_point now) const {
  auto minute = minute_of(now);
  error_counts sum;
  for (const auto& slot : slots_)
    if (slot.minute > minute - span.count() && slot.minute <= minute) {
      sum.total += slot.counts.total;
      sum.failed += slot.counts.failed;
    }
  return sum;
}

}  // namespace crmd::domain
