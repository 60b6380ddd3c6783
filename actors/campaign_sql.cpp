#include "actors/campaign_sql.hpp"

#include <charconv>
#include <random>

#include <date/date.h>

namespace crmd {

const std::string& campaign_process_run_id() {
  static const std::string id = [] {
    std::random_device device;
    std::uniform_int_distribution<std::uint64_t> any;
    auto value = any(device) ^ (static_cast<std::uint64_t>(
                                  std::chrono::steady_clock::now().time_since_epoch().count())
                                << 1);
    char buffer[17] = {};
    auto [end, ec] = std::to_chars(buffer, buffer + 16, value, 16);
    (void)ec;
    return std::string(buffer, end);
  }();
  return id;
}

}  // namespace crmd

namespace crmd::campaign_sql {

std::string int_array(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      out += ',';
    out += std::to_string(values[i]);
  }
  out += '}';
  return out;
}

std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0)
      out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\')
        out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::string iso(std::chrono::system_clock::time_point at) {
  return date::format("%FT%TZ", std::chrono::floor<std::chrono::milliseconds>(at));
}

std::chrono::system_clock::time_point from_ms(std::int64_t ms) {
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{ms}};
}

std::int64_t to_ms(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

std::optional<std::int64_t> to_int(const std::optional<std::string>& text) {
  if (!text)
    return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size())
    return std::nullopt;
  return value;
}

}  // namespace crmd::campaign_sql
