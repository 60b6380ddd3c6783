#include "domain/campaign/audience_filter.hpp"

#include <date/date.h>

#include <algorithm>
#include <array>

namespace crmd::domain::campaign {

namespace {

using nlohmann::json;

constexpr std::size_t max_list = 50;
constexpr std::size_t max_tag_length = 100;
// contacts.source's check constraint (V001).
constexpr std::array<std::string_view, 6> contact_sources = {
  "openphone", "webhook", "import_csv", "quickbooks", "manual", "property_radar"};
constexpr std::array<std::string_view, 7> known_keys = {
  "all_contacts", "tags", "sources", "last_contacted_before", "last_contacted_after",
  "never_contacted", "has_open_quote"};

std::string trimmed(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos)
    return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool has_control(std::string_view text) {
  return std::ranges::any_of(text, [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// A list of distinct, non-empty, short strings (kept in their first order).
std::variant<json, audience_error> string_list(const json& value, const std::string& field) {
  if (!value.is_array())
    return audience_error{field, field + " must be an array of strings"};
  if (value.size() > max_list)
    return audience_error{field, field + " may hold at most 50 entries"};
  json out = json::array();
  for (const auto& item : value) {
    if (!item.is_string())
      return audience_error{field, field + " must be an array of strings"};
    auto text = trimmed(item.get<std::string>());
    if (text.empty() || text.size() > max_tag_length || has_control(text))
      return audience_error{field, field + " entries must be 1 to 100 characters"};
    if (std::find(out.begin(), out.end(), json(text)) == out.end())
      out.push_back(text);
  }
  return out;
}

}  // namespace

// Read by hand: date::parse's fractional seconds trip GCC 12's -Wmaybe-uninitialized at -O3.
std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_iso_time(
  std::string_view text) {
  using namespace std::chrono;
  std::size_t at = 0;
  // `count` digits as a number, or -1.
  auto digits = [&](std::size_t count) -> int {
    if (at + count > text.size())
      return -1;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char c = text[at + i];
      if (c < '0' || c > '9')
        return -1;
      value = value * 10 + (c - '0');
    }
    at += count;
    return value;
  };
  auto literal = [&](char c) {
    if (at < text.size() && text[at] == c) {
      ++at;
      return true;
    }
    return false;
  };
  int y = digits(4);
  int mo = literal('-') ? digits(2) : -1;
  int d = literal('-') ? digits(2) : -1;
  if (y < 0 || mo < 0 || d < 0)
    return std::nullopt;
  date::year_month_day day{date::year{y}, date::month{static_cast<unsigned>(mo)},
                           date::day{static_cast<unsigned>(d)}};
  if (!day.ok())
    return std::nullopt;
  auto time = sys_time<milliseconds>(date::sys_days(day));
  if (at == text.size())
    return time;  // a bare date: midnight UTC
  if (!literal('T') && !literal('t'))
    return std::nullopt;
  int h = digits(2);
  int mi = literal(':') ? digits(2) : -1;
  int sec = literal(':') ? digits(2) : -1;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
    return std::nullopt;
  time += hours(h) + minutes(mi) + seconds(sec);
  if (literal('.')) {
    int scale = 100;
    std::size_t first = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      time += milliseconds((text[at] - '0') * scale);
      scale /= 10;
      ++at;
    }
    if (at == first)
      return std::nullopt;
  }
  if (literal('Z') || literal('z'))
    return at == text.size() ? std::optional(time) : std::nullopt;
  int sign = literal('+') ? 1 : literal('-') ? -1 : 0;
  int oh = sign != 0 ? digits(2) : -1;
  int om = oh >= 0 && literal(':') ? digits(2) : -1;
  if (oh < 0 || oh > 23 || om < 0 || om > 59 || at != text.size())
    return std::nullopt;
  return time - sign * (hours(oh) + minutes(om));
}

std::string format_iso_time(std::chrono::sys_time<std::chrono::milliseconds> time) {
  return date::format("%FT%TZ", time);
}

std::variant<json, audience_error> validate_audience(const json& audience) {
  if (!audience.is_object())
    return audience_error{"audience", "audience must be an object"};
  json out = json::object();
  for (const auto& [key, value] : audience.items()) {
    auto field = "audience." + key;
    if (std::ranges::find(known_keys, key) == known_keys.end())
      return audience_error{field, "unknown audience filter '" + key + "'"};
    if (value.is_null())
      continue;
    if (key == "tags" || key == "sources") {
      auto list = string_list(value, field);
      if (auto* error = std::get_if<audience_error>(&list))
        return std::move(*error);
      auto& items = std::get<json>(list);
      if (key == "sources")
        for (const auto& source : items)
          if (std::ranges::find(contact_sources, source.get<std::string>()) ==
              contact_sources.end())
            return audience_error{field, "unknown contact source '" +
                                           source.get<std::string>() + "'"};
      if (!items.empty())
        out[key] = std::move(items);
    } else if (key == "last_contacted_before" || key == "last_contacted_after") {
      auto time = value.is_string() ? parse_iso_time(value.get<std::string>()) : std::nullopt;
      if (!time)
        return audience_error{field, field + " must be an ISO 8601 time"};
      out[key] = format_iso_time(*time);
    } else {
      if (!value.is_boolean())
        return audience_error{field, field + " must be true or false"};
      if (value.get<bool>())
        out[key] = true;
    }
  }
  return out;
}

}  // namespace crmd::domain::campaign
