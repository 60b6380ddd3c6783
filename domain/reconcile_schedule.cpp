#include "domain/reconcile_schedule.hpp"

#include <date/tz.h>

namespace crmd::domain {

namespace {

// The instant of `time_of_day` on local day `day`. A nonexistent local time maps to the
// transition (date::choose gives the same instant either way); an ambiguous one to the earlier.
std::chrono::sys_seconds occurrence(date::local_days day, std::chrono::minutes time_of_day,
                                    const date::time_zone* zone) {
  auto local = date::local_seconds{day} + time_of_day;
  auto info = zone->get_info(local);
  if (info.result == date::local_info::nonexistent)
    return info.second.begin;
  return zone->to_sys(local, date::choose::earliest);
}

}  // namespace

std::chrono::sys_seconds next_reconcile_at(std::chrono::sys_seconds now,
                                           std::chrono::minutes time_of_day,
                                           const date::time_zone* zone) {
  auto local_now = zone->to_local(now);
  auto today = date::floor<date::days>(local_now);
  // Yesterday too: late in a local day that began before a jump, the start of the next
  // calendar day can already have passed in UTC terms; the loop takes the first one after now.
  for (auto day = today - date::days{1}; day <= today + date::days{2}; day += date::days{1}) {
    auto at = occurrence(day, time_of_day, zone);
    if (at > now)
      return at;
  }
  return occurrence(today + date::days{3}, time_of_day, zone);
}

}  // namespace crmd::domain
