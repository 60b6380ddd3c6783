#include "tools/openphone-emulator/rest_query.hpp"

#include <algorithm>
#include <charconv>

namespace crmd::openphone_emulator::rest {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// "participants[]" and "participants[3]" → "participants".
std::string strip_brackets(std::string name) {
  if (name.empty() || name.back() != ']')
    return name;
  auto open = name.rfind('[');
  if (open == std::string::npos || open == 0)
    return name;
  auto inside = std::string_view(name).substr(open + 1, name.size() - open - 2);
  if (!std::all_of(inside.begin(), inside.end(), is_digit))
    return name;
  name.resize(open);
  return name;
}

// Reads `count` digits at `at` into `out`; false when they are not all digits.
bool digits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size())
    return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(text[i]))
      return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

}  // namespace

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  auto question = target.find('?');
  if (question == std::string_view::npos)
    return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0)
        return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += plus_is_space && c == '+' ? ' ' : c;
    }
  }
  return out;
}

std::optional<query_params> query_params::parse(std::string_view query) {
  query_params params;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty())
      continue;
    auto equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!name || !value)
      return std::nullopt;
    params.entries_.emplace_back(strip_brackets(std::move(*name)), std::move(*value));
  }
  return params;
}

std::vector<std::string> query_params::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : entries_)
    if (key == name)
      values.push_back(value);
  return values;
}

std::optional<std::string> query_params::first(std::string_view name) const {
  for (const auto& [key, value] : entries_)
    if (key == name)
      return value;
  return std::nullopt;
}

bool query_params::has(std::string_view name) const {
  return first(name).has_value();
}

bool is_e164(std::string_view text) {
  // ^\+[1-9]\d{1,14}$
  return text.size() >= 3 && text.size() <= 16 && text[0] == '+' && text[1] >= '1' &&
         text[1] <= '9' && std::all_of(text.begin() + 2, text.end(), is_digit);
}

bool is_prefixed_id(std::string_view text, std::string_view prefix) {
  return text.starts_with(prefix) && text.size() > prefix.size() &&
         text.size() <= prefix.size() + 64 &&
         std::all_of(text.begin() + static_cast<std::ptrdiff_t>(prefix.size()), text.end(),
                     is_alnum);
}

std::optional<int> parse_bounded(std::string_view text, int low, int high) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), is_digit))
    return std::nullopt;
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < low || value > high)
    return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_iso_ms(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't') || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  std::size_t at = 19;
  int millis = 0;
  if (text[at] == '.') {
    std::size_t start = ++at;
    while (at < text.size() && is_digit(text[at])) {
      if (at - start < 3)
        millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    if (at == start)
      return std::nullopt;
    for (std::size_t n = std::min<std::size_t>(at - start, 3); n < 3; ++n)
      millis *= 10;
  }
  std::int64_t offset_min = 0;
  auto zone = text.substr(std::min(at, text.size()));
  if (zone == "Z" || zone == "z") {
    offset_min = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh, om;
    if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59)
      return std::nullopt;
    offset_min = (zone[0] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                         second - offset_min * 60;
  return seconds * 1000 + millis;
}

}  // namespace crmd::openphone_emulator::rest
