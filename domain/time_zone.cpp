#include "domain/time_zone.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

namespace crmd::domain {

bool is_known_time_zone(std::string_view name) {
  // Names are letters, digits and _+-/; anything else (a path, a space) is refused before the
  // tz database sees it.
  if (name.empty() || name.size() > 64 || name.front() == '/' ||
      !std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '/' || c == '-' || c == '+';
      }))
    return false;
  try {
    date::locate_zone(std::string(name));
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace crmd::domain
