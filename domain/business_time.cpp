#include "domain/business_time.hpp"

#include <date/tz.h>

#include <algorithm>

namespace crmd::domain {

namespace {

using std::chrono::system_clock;

// `minutes` after local midnight of `day`, as an instant (24:00 is the next midnight).
system_clock::time_point local_instant(const date::time_zone& zone, date::local_days day,
                                       std::chrono::minutes minutes, date::choose choice) {
  auto local = date::local_time<std::chrono::minutes>(day.time_since_epoch() + minutes);
  return zone.to_sys(local, choice);
}

}  // namespace

std::chrono::seconds business_time_between(system_clock::time_point from,
                                           system_clock::time_point to,
                                           const business_hours& hours,
                                           const date::time_zone& zone) {
  if (to <= from)
    return std::chrono::seconds{0};
  // Local days from the one holding `from` to the one holding `to`, each clipped to [from, to).
  auto first = date::floor<date::days>(zone.to_local(from));
  auto last = date::floor<date::days>(zone.to_local(to));
  system_clock::duration total{0};
  for (auto day = first; day <= last; day += date::days{1}) {
    if (!hours.open_on(date::weekday(day).c_encoding()))
      continue;
    auto open = local_instant(zone, day, hours.open, date::choose::earliest);
    auto close = local_instant(zone, day, hours.close, date::choose::latest);
    auto begin = std::max(open, from);
    auto end = std::min(close, to);
    if (end > begin)
      total += end - begin;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(total);
}

}  // namespace crmd::domain
