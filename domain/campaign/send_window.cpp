#include "domain/campaign/send_window.hpp"

#include <algorithm>

namespace crmd::domain::campaign {

namespace {

using std::chrono::days;
using std::chrono::minutes;

}  // namespace

send_window::send_window(send_limits limits)
    : limits_{std::max(limits.per_minute, 1u), std::max(limits.per_day, 1u)} {}

send_window::decision send_window::decide(time_point now) const {
  // Sends in (now - span, now]; with `limit` of them or more, the next may go once enough of the
  // oldest have left the span: the one at position count - limit leaves at its time + span.
  auto next_after = [&](std::chrono::nanoseconds span, std::uint32_t limit) {
    auto first = std::upper_bound(sends_.begin(), sends_.end(), now - span);
    auto last = std::upper_bound(first, sends_.end(), now);
    auto count = static_cast<std::uint64_t>(last - first);
    return count < limit ? now : *(last - limit) + span;
  };
  auto next = std::max(next_after(minutes{1}, limits_.per_minute),
                       next_after(days{1}, limits_.per_day));
  return {next == now, next};
}

void send_window::record(time_point sent) {
  if (!sends_.empty())
    sent = std::max(sent, sends_.back());
  sends_.push_back(sent);
  while (sends_.front() <= sent - days{1})
    sends_.pop_front();
}

}  // namespace crmd::domain::campaign
