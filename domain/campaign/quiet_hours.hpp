#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

// Campaign texts may only go out inside a sending window in the recipient's local time. Pure: the
// caller passes "now" (an injected wall clock) and schedules a timer for `next_open`.
namespace crmd::domain::campaign {

// [open, close) as time of day in local time; never wraps midnight.
struct local_window {
  std::chrono::minutes open;
  std::chrono::minutes close;
};

// Legal and reputational floor: no campaign text before 08:00 or from 21:00 local, whatever the
// campaign or the configuration says.
inline constexpr local_window hard_floor{std::chrono::hours{8}, std::chrono::hours{21}};

// The campaign's window inside `floor`, itself clamped inside hard_floor (a configured floor may be
// stricter, never looser). open >= close means the window is empty.
local_window effective_window(local_window campaign, local_window floor = hard_floor);

enum class window_state : std::uint8_t {
  open,          // send now
  closed,        // wait until next_open
  unknown_zone,  // a zone name the tz database does not know: do not send
  empty_window,  // no instant ever satisfies the window (in every zone): do not send
};

struct window_decision {
  window_state state;
  std::chrono::sys_seconds next_open;  // `now` when open; meaningful only when open or closed
};

// Whether a text may go to a recipient in `zone` at `now`, and if not, when next.
window_decision check_send_window(std::chrono::sys_seconds now, std::string_view zone,
                                  local_window campaign, local_window floor = hard_floor);

// The same for a recipient whose zone is one of `zones` (an ambiguous phone prefix): the window
// must be open in every one of them, so it opens at the latest local opening and closes at the
// earliest local closing.
window_decision check_send_window(std::chrono::sys_seconds now, std::span<const std::string> zones,
                                  local_window campaign, local_window floor = hard_floor);

}  // namespace crmd::domain::campaign
