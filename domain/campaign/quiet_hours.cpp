#include "domain/campaign/quiet_hours.hpp"

#include "domain/time_zone.hpp"

#include <date/tz.h>

#include <algorithm>
#include <vector>

namespace crmd::domain::campaign {

namespace {

using std::chrono::sys_seconds;

const date::time_zone* find_zone(std::string_view name) {
  return is_known_time_zone(name) ? date::locate_zone(std::string(name)) : nullptr;
}

bool is_open(const date::time_zone& zone, sys_seconds t, local_window window) {
  auto local = zone.to_local(t);
  auto time_of_day = local - date::floor<date::days>(local);
  return time_of_day >= window.open && time_of_day < window.close;
}

// The window is never empty here. Four days cover today's remaining opening, tomorrow's, and a
// day erased by a zone jumping across the date line (Pacific/Apia skipped 2011-12-30).
window_decision decide(sys_seconds now, const date::time_zone& zone, local_window window) {
  if (is_open(zone, now, window))
    return {window_state::open, now};
  auto today = date::floor<date::days>(zone.to_local(now));
  for (int day = 0; day < 4; ++day) {
    // An opening inside a skipped hour resolves to the end of the gap; `earliest` takes the first
    // of a repeated hour. Either way the instant must still be inside the window.
    auto opening =
      zone.to_sys(today + date::days{day} + window.open, date::choose::earliest);
    if (opening > now && is_open(zone, opening, window))
      return {window_state::closed, opening};
  }
  return {window_state::empty_window, now};
}

}  // namespace

local_window effective_window(local_window campaign, local_window floor) {
  return {std::max({campaign.open, floor.open, hard_floor.open}),
          std::min({campaign.close, floor.close, hard_floor.close})};
}

window_decision check_send_window(sys_seconds now, std::string_view zone, local_window campaign,
                                  local_window floor) {
  std::string name(zone);
  return check_send_window(now, std::span<const std::string>(&name, 1), campaign, floor);
}

window_decision check_send_window(sys_seconds now, std::span<const std::string> zones,
                                  local_window campaign, local_window floor) {
  std::vector<const date::time_zone*> resolved;
  for (const auto& name : zones) {
    const auto* zone = find_zone(name);
    if (zone == nullptr)
      return {window_state::unknown_zone, now};
    resolved.push_back(zone);
  }
  if (resolved.empty())
    return {window_state::unknown_zone, now};
  auto window = effective_window(campaign, floor);
  if (window.open >= window.close)
    return {window_state::empty_window, now};

  // Move to each closed zone's next opening until one pass finds every zone open. Zones too far
  // apart for the window never agree; a bounded number of passes says so.
  auto t = now;
  for (int pass = 0; pass < 16; ++pass) {
    bool all_open = true;
    for (const auto* zone : resolved) {
      auto decision = decide(t, *zone, window);
      if (decision.state == window_state::empty_window)
        return decision;
      if (decision.state == window_state::closed) {
        t = decision.next_open;
        all_open = false;
      }
    }
    if (all_open)
      return {t == now ? window_state::open : window_state::closed, t};
  }
  return {window_state::empty_window, now};
}

}  // namespace crmd::domain::campaign
