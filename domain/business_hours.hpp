#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace crmd::domain {

// When the office works, in the business's own time zone: the days of the week it is open and
// one [open, close) span of local time on each of them.
struct business_hours {
  std::uint8_t days = 0b0111110;  // bit d set: open on weekday d (0 = Sunday … 6 = Saturday)
  std::chrono::minutes open{8 * 60};
  std::chrono::minutes close{18 * 60};

  bool open_on(unsigned weekday) const { return weekday < 7 && (days >> weekday) & 1u; }
};

// "Mon-Fri 08:00-18:00", "Mon-Sat 07:30-17:00", "Mon,Wed,Fri 09:00-17:00", "Sun-Sat 00:00-24:00".
// Day names are the first three letters in English, any case; a range may not wrap past Sunday;
// the opening comes before the closing. Nothing else is accepted.
std::optional<business_hours> parse_business_hours(std::string_view text);

}  // namespace crmd::domain
