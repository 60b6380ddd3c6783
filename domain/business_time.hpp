#pragma once

#include "domain/business_hours.hpp"

#include <chrono>

namespace date {
class time_zone;
}

namespace crmd::domain {

// How much of [from, to) fell inside business hours in `zone`: the open span of each open day,
// taken in that day's own local time, so a day on which the clocks change counts the hours its
// office really had (a 00:00-24:00 day is 23 h in spring, 25 h in autumn). A local opening or
// closing time that does not exist that day (skipped by the clocks) is taken as the instant of
// the change; one that occurs twice opens at its first and closes at its second occurrence.
// Zero when `to` is not after `from`.
std::chrono::seconds business_time_between(std::chrono::system_clock::time_point from,
                                           std::chrono::system_clock::time_point to,
                                           const business_hours& hours,
                                           const date::time_zone& zone);

}  // namespace crmd::domain
