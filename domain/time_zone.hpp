#pragma once

#include <string_view>

namespace crmd::domain {

// True for an IANA zone name the system's tz database knows (America/New_York), false for
// anything else, abbreviations (EST) and offsets included.
bool is_known_time_zone(std::string_view name);

}  // namespace crmd::domain
