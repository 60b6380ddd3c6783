#include "domain/business_hours.hpp"

#include <array>
#include <cctype>
#include <string>

namespace crmd::domain {

namespace {

std::optional<unsigned> weekday_of(std::string_view name) {
  static constexpr std::array<std::string_view, 7> names{"sun", "mon", "tue", "wed",
                                                         "thu", "fri", "sat"};
  if (name.size() != 3)
    return std::nullopt;
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (unsigned day = 0; day < names.size(); ++day)
    if (names[day] == lower)
      return day;
  return std::nullopt;
}

// "HH:MM", 00:00 to 24:00.
std::optional<std::chrono::minutes> minute_of_day(std::string_view text) {
  if (text.size() != 5 || text[2] != ':')
    return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      return std::nullopt;
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
    return std::nullopt;
  return std::chrono::minutes{hours * 60 + minutes};
}

// "Mon-Fri" or "Mon,Wed,Fri" (each item a day or a range).
std::optional<std::uint8_t> days_of(std::string_view text) {
  std::uint8_t days = 0;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (comma != std::string_view::npos && text.empty())
      return std::nullopt;
    auto dash = item.find('-');
    auto first = weekday_of(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : weekday_of(item.substr(dash + 1));
    if (!first || !last || *first > *last)
      return std::nullopt;
    for (unsigned day = *first; day <= *last; ++day)
      days = static_cast<std::uint8_t>(days | (1u << day));
  }
  if (days == 0)
    return std::nullopt;
  return days;
}

}  // namespace

std::optional<business_hours> parse_business_hours(std::string_view text) {
  auto space = text.find(' ');
  if (space == std::string_view::npos)
    return std::nullopt;
  auto days = days_of(text.substr(0, space));
  auto span = text.substr(space + 1);
  auto dash = span.find('-');
  if (!days || dash == std::string_view::npos)
    return std::nullopt;
  auto open = minute_of_day(span.substr(0, dash));
  auto close = minute_of_day(span.substr(dash + 1));
  if (!open || !close || *open >= *close)
    return std::nullopt;
  return business_hours{.days = *days, .open = *open, .close = *close};
}

}  // namespace crmd::domain
