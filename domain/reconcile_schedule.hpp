#pragma once

#include <chrono>

namespace date {
class time_zone;
}

namespace crmd::domain {

// The next nightly reconciliation: the first instant strictly after `now` whose local time in
// `zone` is `time_of_day` (minutes after local midnight, 0–1439). DST-correct: on the day a
// local time does not exist (the clocks jump over it) the run is at the jump, so it still runs
// that day; on the day it exists twice (the clocks fall back) it runs at the first, once.
std::chrono::sys_seconds next_reconcile_at(std::chrono::sys_seconds now,
                                           std::chrono::minutes time_of_day,
                                           const date::time_zone* zone);

}  // namespace crmd::domain
